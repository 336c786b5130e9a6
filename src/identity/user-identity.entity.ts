import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** Which account a provider's subject is. */
@PersonalData({
  purpose: "Links of an account to an organisation's identity provider",
  recipients: "The person; their organisation's admins",
  retention: RETENTION.credential,
  personal: { user_id: PersonalDataCategory.ACCOUNT, subject: PersonalDataCategory.ACCOUNT },
  other: ['identity_provider_id', 'created_at', 'last_sign_in_at'],
})
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
