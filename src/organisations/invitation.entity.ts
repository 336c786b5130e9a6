import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MemberRole } from '../common/organisation-type';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

@PersonalData({
  purpose: 'Invitations to join an organisation',
  recipients: "The organisation's admins",
  retention: RETENTION.invitation,
  personal: { email: PersonalDataCategory.CONTACT, invited_by: PersonalDataCategory.ACCOUNT },
  other: ['id', 'organisation_id', 'role', 'token_hash', 'expires_at', 'accepted_at', 'created_at', 'revoked_at'],
})
@Entity('invitations')
export class Invitation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'citext' })
  email: string;

  @Column({ type: 'text' })
  role: MemberRole;

  /** SHA-256 of the one-time token: the token itself only travels in the e-mail. */
  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @Column({ name: 'invited_by', type: 'uuid' })
  invitedBy: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
