import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

@PersonalData({
  purpose: 'Refresh tokens of a session (hashed)',
  recipients: 'Nobody',
  retention: RETENTION.session,
  personal: { session_id: PersonalDataCategory.TECHNICAL_LOG },
  other: ['id', 'token_hash', 'expires_at', 'used_at', 'created_at'],
})
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  /** SHA-256 of a 256-bit random token: enough entropy that a slow hash adds nothing. */
  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
