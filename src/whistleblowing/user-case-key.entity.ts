import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A user's own key pair; the private half boxed under a key derived from their password. */
@PersonalData({
  purpose: "A case handler's key pair, the private key wrapped by their password",
  recipients: 'The person',
  retention: RETENTION.credential,
  personal: { user_id: PersonalDataCategory.ACCOUNT },
  other: ['public_key', 'wrapped_private_key', 'kdf_salt'],
})
@Entity('user_case_keys')
export class UserCaseKey {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  @Column({ name: 'wrapped_private_key', type: 'bytea' })
  wrappedPrivateKey: Buffer;

  @Column({ name: 'kdf_salt', type: 'bytea' })
  kdfSalt: Buffer;
}
