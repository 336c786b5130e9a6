import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}

@PersonalData({
  purpose: 'Accounts: sign-in, display name, second factor',
  recipients: 'The person; admins of their organisations (name, e-mail); platform administrators',
  retention: RETENTION.account,
  personal: {
    email: PersonalDataCategory.ACCOUNT,
    display_name: PersonalDataCategory.ACCOUNT,
    password_hash: PersonalDataCategory.ACCOUNT,
    totp_secret: PersonalDataCategory.ACCOUNT,
    totp_pending_secret: PersonalDataCategory.ACCOUNT,
  },
  other: [
    'id',
    'is_platform_admin',
    'status',
    'totp_last_step',
    'created_at',
    'correlation_mail',
    'left_at',
    'erased_at',
  ],
})
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'citext' })
  email: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  /** Null for people who only ever sign in through their organisation's identity provider. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ name: 'is_platform_admin', type: 'boolean', default: false })
  isPlatformAdmin: boolean;

  @Column({ type: 'text', default: UserStatus.ACTIVE })
  status: UserStatus;

  /** AES-GCM sealed (SecretBox); null until TOTP is confirmed. */
  @Column({ name: 'totp_secret', type: 'text', nullable: true })
  totpSecret: string | null;

  @Column({ name: 'totp_pending_secret', type: 'text', nullable: true })
  totpPendingSecret: string | null;

  /** Last accepted TOTP time step, so a code cannot be replayed within its window. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true })
  totpLastStep: string | null;

  /** Correlation notices by e-mail too (src/correlation), when the person asked. */
  @Column({ name: 'correlation_mail', type: 'boolean', default: false })
  correlationMail: boolean;

  /** When the person left their last organisation (a trigger on memberships keeps it); the account's retention runs from it. */
  @Column({ name: 'left_at', type: 'timestamptz', nullable: true })
  leftAt: Date | null;

  /** When the account was pseudonymised (erasure, or retention after leaving): it names nobody since. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
