import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CaseStatus, ReportCategory } from './case-enums';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A report and its case, encrypted: only the receipt and the case key open it. Dates, never times. */
@PersonalData({
  purpose: 'Anonymous reports of corruption (encrypted to the case handlers)',
  recipients: "The organisation's case handlers; the reporter with their receipt",
  retention: RETENTION.case,
  personal: { content: PersonalDataCategory.CASE_CONTENT },
  other: [
    'id',
    'organisation_id',
    'category',
    'status',
    'receipt_lookup',
    'receipt_lookup_key',
    'receipt_salt',
    'receipt_verifier',
    'key_for_org',
    'key_for_reporter',
    'received_on',
    'updated_on',
    'closed_on',
    'acknowledged_on',
    'feedback_on',
    'acknowledge_by',
    'feedback_by',
    'reference',
  ],
})
@Entity('whistleblower_cases')
export class WhistleblowerCaseRecord {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  category: ReportCategory;

  @Column({ type: 'text' })
  status: CaseStatus;

  /** Random (migration CaseReferences): tells cases apart, says nothing about the reporter. */
  @Column({ type: 'text', insert: false, update: false })
  reference: string;

  @Column({ name: 'receipt_lookup', type: 'bytea' })
  receiptLookup: Buffer;

  /** The id of the ENCRYPTION_KEY the lookup is keyed under; null: from before lookups named their key. */
  @Column({ name: 'receipt_lookup_key', type: 'text', nullable: true })
  receiptLookupKey: string | null;

  @Column({ name: 'receipt_salt', type: 'bytea' })
  receiptSalt: Buffer;

  @Column({ name: 'receipt_verifier', type: 'bytea' })
  receiptVerifier: Buffer;

  @Column({ name: 'key_for_org', type: 'bytea' })
  keyForOrg: Buffer;

  @Column({ name: 'key_for_reporter', type: 'bytea' })
  keyForReporter: Buffer;

  @Column({ type: 'bytea' })
  content: Buffer;

  @Column({ name: 'received_on', type: 'date' })
  receivedOn: string;

  @Column({ name: 'updated_on', type: 'date' })
  updatedOn: string;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn: string | null;

  /** The first reply to the reporter (the Directive's acknowledgement of receipt). */
  @Column({ name: 'acknowledged_on', type: 'date', nullable: true })
  acknowledgedOn: string | null;

  /** The first reply marked as feedback (action taken or envisaged). */
  @Column({ name: 'feedback_on', type: 'date', nullable: true })
  feedbackOn: string | null;

  @Column({ name: 'acknowledge_by', type: 'date', nullable: true, insert: false, update: false })
  acknowledgeBy: string;

  @Column({ name: 'feedback_by', type: 'date', nullable: true, insert: false, update: false })
  feedbackBy: string;
}
