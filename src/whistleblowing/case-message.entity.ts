import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MessageAuthor } from './case-enums';

/** A message of a case (reporter, handler or internal note), sealed with the report key. */
@Entity('whistleblower_messages')
export class CaseMessage {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'text' })
  author: MessageAuthor;

  @Column({ name: 'author_user_id', type: 'uuid', nullable: true })
  authorUserId: string | null;

  @Column({ type: 'bytea' })
  body: Buffer;

  @Column({ name: 'sent_on', type: 'date' })
  sentOn: string;
}
