import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A WebAuthn challenge handed out, used once. */
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
