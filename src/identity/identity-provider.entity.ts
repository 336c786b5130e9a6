import { Field, HideField, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A test sign-in's outcome as stored: `at` in ISO 8601. */
export interface StoredTest {
  at: string;
  admitted: boolean;
  email: string | null;
  role: string | null;
  reason: string | null;
}

/** How the platform authenticates to the provider's token endpoint. */
export enum ClientAuth {
  client_secret_basic = 'client_secret_basic',
  client_secret_post = 'client_secret_post',
  private_key_jwt = 'private_key_jwt',
}
registerEnumType(ClientAuth, {
  name: 'ClientAuth',
  description: 'client_secret_basic or client_secret_post (a secret you paste here), or private_key_jwt (our key)',
});

/** An organisation's OpenID Connect provider, as its admins configure it and a platform admin approves it. */
@ObjectType({ description: "An organisation's OpenID Connect provider: who signs its people in" })
@PersonalData({
  purpose: "An organisation's single sign-on settings",
  recipients: "The organisation's admins; platform administrators",
  retention: RETENTION.configuration,
  personal: { approved_by: PersonalDataCategory.ACCOUNT },
  other: [
    'id',
    'organisation_id',
    'issuer',
    'client_id',
    'client_auth',
    'client_secret_sealed',
    'signing_key_sealed',
    'scopes',
    'domains',
    'join_domains',
    'email_verified_claim',
    'role_claim',
    'analyst_values',
    'admin_values',
    'required',
    'approved_at',
    'last_test',
    'created_at',
    'updated_at',
  ],
})
@Entity('identity_providers')
export class IdentityProvider {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Field({ description: "The provider's issuer; its configuration is discovered from there" })
  @Column({ type: 'text' })
  issuer: string;

  @Field()
  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  @Field(() => ClientAuth)
  @Column({ name: 'client_auth', type: 'text' })
  clientAuth: ClientAuth;

  @HideField()
  @Column({ name: 'client_secret_sealed', type: 'text', nullable: true })
  clientSecretSealed: string | null;

  /** Our private key for private_key_jwt (sealed); its public half is served as a JWKS. */
  @HideField()
  @Column({ name: 'signing_key_sealed', type: 'text' })
  signingKeySealed: string;

  @Field(() => [String])
  @Column({ type: 'text', array: true })
  scopes: string[];

  /** Lower case, like every domain compared with them. */
  @Field(() => [String], { description: 'The e-mail domains it answers for: their people sign in through it' })
  @Column({ type: 'text', array: true })
  domains: string[];

  @Field(() => [String], {
    description: 'Domains whose people become members (MEMBER, or as mapped) at their first sign-in, uninvited',
  })
  @Column({ name: 'join_domains', type: 'text', array: true })
  joinDomains: string[];

  @Field({
    description:
      'The boolean claim by which the provider vouches for the e-mail address: email_verified, or xms_edov for Entra ID',
  })
  @Column({ name: 'email_verified_claim', type: 'text' })
  emailVerifiedClaim: string;

  @Field(() => String, { nullable: true, description: 'The claim that carries groups or roles (e.g. groups)' })
  @Column({ name: 'role_claim', type: 'text', nullable: true })
  roleClaim: string | null;

  @Field(() => [String], { description: 'Values of the role claim that make someone an ANALYST' })
  @Column({ name: 'analyst_values', type: 'text', array: true })
  analystValues: string[];

  @Field(() => [String], { description: 'Values of the role claim that make someone an ORG_ADMIN' })
  @Column({ name: 'admin_values', type: 'text', array: true })
  adminValues: string[];

  @Field({ description: 'Its people sign in only through it: no password sign-in for them' })
  @Column({ type: 'boolean' })
  required: boolean;

  @Field(() => Date, { nullable: true, description: 'Used for sign-in only once a platform admin approved it' })
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @HideField()
  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  /** The outcome of the last test sign-in (IdentityProviderTest; shown by the resolver). */
  @HideField()
  @Column({ name: 'last_test', type: 'jsonb', nullable: true })
  lastTest: StoredTest | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
