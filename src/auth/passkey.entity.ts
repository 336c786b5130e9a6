import { Field, HideField, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A person's passkey (a WebAuthn credential), as they name it. */
@ObjectType({ description: 'One of your passkeys: a sign-in that a phishing page cannot relay' })
@PersonalData({
  purpose: 'Passkeys a person signs in with',
  recipients: 'The person',
  retention: RETENTION.credential,
  personal: {
    user_id: PersonalDataCategory.ACCOUNT,
    credential_id: PersonalDataCategory.ACCOUNT,
    public_key: PersonalDataCategory.ACCOUNT,
    aaguid: PersonalDataCategory.ACCOUNT,
    name: PersonalDataCategory.ACCOUNT,
  },
  other: ['id', 'counter', 'transports', 'device_type', 'backed_up', 'created_at', 'last_used_at'],
})
@Entity('passkeys')
export class Passkey {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @HideField()
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** The credential ID, base64url. */
  @HideField()
  @Column({ name: 'credential_id', type: 'text' })
  credentialId: string;

  @HideField()
  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  /** The authenticator's signature counter (0 for most synced passkeys). */
  @HideField()
  @Column({ type: 'bigint' })
  counter: string;

  @HideField()
  @Column({ type: 'text', array: true })
  transports: string[];

  @Field({ description: 'singleDevice (a security key) or multiDevice (synced)' })
  @Column({ name: 'device_type', type: 'text' })
  deviceType: string;

  @Field({ description: 'Whether it is backed up (synced to other devices)' })
  @Column({ name: 'backed_up', type: 'boolean' })
  backedUp: boolean;

  @HideField()
  @Column({ type: 'text', nullable: true })
  aaguid: string | null;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
