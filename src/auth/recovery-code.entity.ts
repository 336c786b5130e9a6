import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A platform administrator's one-time recovery code, as a keyed hash. */
@PersonalData({
  purpose: 'One-time recovery codes (hashed)',
  recipients: 'Nobody',
  retention: RETENTION.credential,
  personal: { user_id: PersonalDataCategory.ACCOUNT },
  other: ['code_hash', 'created_at', 'used_at'],
})
@Entity('recovery_codes')
export class RecoveryCode {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'code_hash', type: 'bytea' })
  codeHash: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
