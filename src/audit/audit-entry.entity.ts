import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** One link of the hash-chained audit trail (audit.service.ts appends, audit-chain.ts hashes). */
@PersonalData({
  purpose: 'Who did what, when, to what: accountability and LED art. 25 logging',
  recipients: "The organisation's admins for its own chain; platform administrators",
  retention: RETENTION.audit,
  personal: {
    actor_user_id: PersonalDataCategory.AUDIT_EVENT,
    object_id: PersonalDataCategory.AUDIT_EVENT,
    details: PersonalDataCategory.AUDIT_EVENT,
  },
  other: [
    'seq',
    'at',
    'actor_organisation_id',
    'subject_organisation_id',
    'action',
    'object_type',
    'prev_hash',
    'hash',
    'chain',
    'chain_seq',
    'content_hash',
  ],
})
@Entity('audit_events')
export class AuditEntry {
  /** The whole trail's order of appending (from a sequence, with gaps); links are per chain. */
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  /** An organisation's id, `platform` or `legacy` (audit-chain.ts). */
  @Column({ type: 'text' })
  chain: string;

  @Column({ name: 'chain_seq', type: 'bigint' })
  chainSeq: string;

  /** Null in the legacy chain, whose links cover the content itself. */
  @Column({ name: 'content_hash', type: 'text', nullable: true })
  contentHash: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_organisation_id', type: 'uuid', nullable: true })
  actorOrganisationId: string | null;

  @Column({ name: 'subject_organisation_id', type: 'uuid', nullable: true })
  subjectOrganisationId: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'object_type', type: 'text' })
  objectType: string;

  @Column({ name: 'object_id', type: 'text', nullable: true })
  objectId: string | null;

  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;
}
