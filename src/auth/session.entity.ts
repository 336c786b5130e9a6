import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A login: the family of rotating refresh tokens and the access tokens issued from them (`sid` claim). */
@PersonalData({
  purpose: 'Signed-in sessions, for sign-out and revocation',
  recipients: 'The person (their own sessions); platform administrators',
  retention: RETENTION.session,
  personal: {
    user_id: PersonalDataCategory.TECHNICAL_LOG,
    idp_subject: PersonalDataCategory.TECHNICAL_LOG,
    idp_session_id: PersonalDataCategory.TECHNICAL_LOG,
    idp_refresh_sealed: PersonalDataCategory.TECHNICAL_LOG,
    revoke_reason: PersonalDataCategory.TECHNICAL_LOG,
  },
  other: [
    'id',
    'organisation_id',
    'expires_at',
    'revoked_at',
    'created_at',
    'identity_provider_id',
    'idp_checked_at',
    'phishing_resistant',
  ],
})
@Entity('sessions')
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoke_reason', type: 'text', nullable: true })
  revokeReason: string | null;

  /** The organisation's identity provider that began it (asked again at refresh, its logout honoured). */
  @Column({ name: 'identity_provider_id', type: 'uuid', nullable: true })
  identityProviderId: string | null;

  @Column({ name: 'idp_subject', type: 'text', nullable: true })
  idpSubject: string | null;

  /** The provider's own session (`sid`), which its back-channel logout may name. */
  @Column({ name: 'idp_session_id', type: 'text', nullable: true })
  idpSessionId: string | null;

  /** The provider's refresh token (sealed), to ask it whether the person is still accepted. */
  @Column({ name: 'idp_refresh_sealed', type: 'text', nullable: true })
  idpRefreshSealed: string | null;

  @Column({ name: 'idp_checked_at', type: 'timestamptz', nullable: true })
  idpCheckedAt: Date | null;

  /** Begun with a passkey, or through a provider that says one was used. */
  @Column({ name: 'phishing_resistant', type: 'boolean', default: false })
  phishingResistant: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
