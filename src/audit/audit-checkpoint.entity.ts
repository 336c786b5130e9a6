import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ChainHead } from './audit-chain';
import { PersonalData, RETENTION } from '../common/personal-data';

/** A signed checkpoint over every audit chain's head (audit-checkpoints.service.ts writes, audit-verifier.ts checks). */
@PersonalData({
  purpose: "Signed checkpoints over every audit chain's head, so tampering shows",
  recipients: 'Platform administrators',
  retention: RETENTION.trailRecord,
  personal: {},
  other: ['id', 'at', 'heads', 'root', 'previous', 'key_id', 'signature'],
})
@Entity('audit_checkpoints')
export class AuditCheckpoint {
  @PrimaryColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'jsonb' })
  heads: ChainHead[];

  @Column({ type: 'text' })
  root: string;

  @Column({ type: 'text' })
  previous: string;

  @Column({ name: 'key_id', type: 'text' })
  keyId: string;

  @Column({ type: 'text' })
  signature: string;
}
