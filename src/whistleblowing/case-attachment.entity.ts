import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A file of a case; its name, type and content sealed with the report key. */
@Entity('whistleblower_attachments')
export class CaseAttachment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ type: 'bytea' })
  meta: Buffer;

  @Column({ type: 'bytea' })
  content: Buffer;

  @Column({ name: 'added_on', type: 'date' })
  addedOn: string;
}
