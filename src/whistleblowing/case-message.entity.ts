import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MessageAuthor } from './case-enums';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A message of a case (reporter, handler or internal note), sealed with the report key. */
@PersonalData({
  purpose: 'Messages between reporter and handlers (encrypted)',
  recipients: "The organisation's case handlers; the reporter with their receipt",
  retention: RETENTION.case,
  personal: { body: PersonalDataCategory.CASE_CONTENT, author_user_id: PersonalDataCategory.CASE_CONTENT },
  other: ['id', 'case_id', 'seq', 'author', 'sent_on'],
})
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
