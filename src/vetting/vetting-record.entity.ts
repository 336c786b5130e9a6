import { Column, Entity, PrimaryColumn } from 'typeorm';
import { VettingReasonCode, VettingStatus } from './vetting-enums';
import { VettingLevel } from '../common/categories';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/**
 * A vetting-status record. Property names are the fields the sharing rules' conditions use
 * (sharing/ability.factory.ts); the identity columns hold sealed values only (identity-envelope.ts).
 */
@PersonalData({
  purpose: 'Vetting status of port staff, pseudonymised by document number',
  recipients: 'The authority; organisations its sharing rules admit (status only)',
  retention: RETENTION.vetting,
  personal: {
    subject_pseudonym: PersonalDataCategory.VETTING_IDENTITY,
    identity_key: PersonalDataCategory.VETTING_IDENTITY,
    identity: PersonalDataCategory.VETTING_IDENTITY,
    level: PersonalDataCategory.VETTING_DECISION,
    status: PersonalDataCategory.VETTING_DECISION,
    reason_code: PersonalDataCategory.VETTING_DECISION,
    valid_from: PersonalDataCategory.VETTING_DECISION,
    valid_until: PersonalDataCategory.VETTING_DECISION,
    status_changed_at: PersonalDataCategory.VETTING_DECISION,
    employment_ended_on: PersonalDataCategory.VETTING_DECISION,
  },
  other: ['id', 'organisation_id', 'employer_organisation_id', 'pseudonym_key', 'created_at', 'updated_at'],
})
@Entity('vetting_records')
export class VettingRecord {
  @PrimaryColumn('uuid')
  id: string;

  /** The vetting authority: the organisation that performed the check and owns the record. */
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'employer_organisation_id', type: 'uuid' })
  employerOrganisationId: string;

  @Column({ name: 'subject_pseudonym', type: 'bytea' })
  subjectPseudonym: Buffer;

  /** The id of the pseudonym key; null: from before pseudonyms named their key. */
  @Column({ name: 'pseudonym_key', type: 'text', nullable: true })
  pseudonymKey: string | null;

  @Column({ name: 'identity_key', type: 'text' })
  identityKey: string;

  @Column({ name: 'identity', type: 'text' })
  identity: string;

  @Column({ type: 'text' })
  level: VettingLevel;

  /** As set by the authority; readers see `effectiveVettingStatus` (EXPIRED after validUntil). */
  @Column({ type: 'text' })
  status: VettingStatus;

  @Column({ name: 'reason_code', type: 'text', nullable: true })
  reasonCode: VettingReasonCode | null;

  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom: Date;

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  /** YYYY-MM-DD: starts the retention clock like an expiry (see vetting_record_ended). */
  @Column({ name: 'employment_ended_on', type: 'date', nullable: true })
  employmentEndedOn: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz' })
  statusChangedAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
