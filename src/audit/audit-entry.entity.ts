import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One link of the hash-chained audit trail (audit.service.ts appends, audit-chain.ts hashes). */
@Entity('audit_events')
export class AuditEntry {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

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
