import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Which account a provider's subject is. */
@Entity('user_identities')
export class UserIdentity {
  @PrimaryColumn({ name: 'identity_provider_id', type: 'uuid' })
  identityProviderId: string;

  @PrimaryColumn({ type: 'text' })
  subject: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz' })
  lastSignInAt: Date;
}
