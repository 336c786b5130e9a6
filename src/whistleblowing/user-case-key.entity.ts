import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's own key pair; the private half boxed under a key derived from their password. */
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
