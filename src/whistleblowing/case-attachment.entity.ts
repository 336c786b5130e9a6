import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A file of a case; its name, type and content sealed with the report key. */
@PersonalData({
  purpose: 'Files a reporter attached (encrypted to the case handlers)',
  recipients: "The organisation's case handlers",
  retention: RETENTION.case,
  personal: { meta: PersonalDataCategory.CASE_CONTENT, content: PersonalDataCategory.CASE_CONTENT },
  other: ['id', 'case_id', 'added_on'],
})
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
