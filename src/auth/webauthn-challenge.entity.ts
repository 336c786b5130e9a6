import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A WebAuthn challenge handed out, used once. */
@PersonalData({
  purpose: 'Passkey ceremonies in progress',
  recipients: 'Nobody',
  retention: RETENTION.shortLived,
  personal: { user_id: PersonalDataCategory.TECHNICAL_LOG },
  other: ['id', 'challenge', 'purpose', 'expires_at'],
})
@Entity('webauthn_challenges')
export class WebAuthnChallenge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  challenge: string;

  @Column({ type: 'text' })
  purpose: 'register' | 'authenticate';

  /** For a registration: whose passkey it will be. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
