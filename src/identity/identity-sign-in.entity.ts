import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** An authorization request in flight at a provider: used once, by the browser that began it. */
@PersonalData({
  purpose: 'A single sign-on in progress (state, nonce)',
  recipients: 'Nobody',
  retention: RETENTION.shortLived,
  personal: { browser_hash: PersonalDataCategory.TECHNICAL_LOG, tested_by: PersonalDataCategory.ACCOUNT },
  other: [
    'state_hash',
    'identity_provider_id',
    'organisation_id',
    'nonce',
    'code_verifier_sealed',
    'return_to',
    'created_at',
    'expires_at',
  ],
})
@Entity('identity_sign_ins')
export class IdentitySignIn {
  /** SHA-256 of the `state` sent to the provider. */
  @PrimaryColumn({ name: 'state_hash', type: 'bytea' })
  stateHash: Buffer;

  @Column({ name: 'identity_provider_id', type: 'uuid' })
  identityProviderId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** SHA-256 of the value in the browser's cookie. */
  @Column({ name: 'browser_hash', type: 'bytea' })
  browserHash: Buffer;

  @Column({ type: 'text' })
  nonce: string;

  @Column({ name: 'code_verifier_sealed', type: 'text' })
  codeVerifierSealed: string;

  @Column({ name: 'return_to', type: 'text', nullable: true })
  returnTo: string | null;

  /** An organisation admin's test: nobody is signed in. */
  @Column({ name: 'tested_by', type: 'uuid', nullable: true })
  testedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
