import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** Failed sign-ins counted per account (a keyed hash of the e-mail entered, known or not) and per source, for lockout. */
@PersonalData({
  purpose: 'Lockout after repeated failed sign-ins',
  recipients: 'Nobody (the person is told by e-mail)',
  retention: RETENTION.loginFailure,
  personal: {
    user_id: PersonalDataCategory.TECHNICAL_LOG,
    source: PersonalDataCategory.TECHNICAL_LOG,
    account: PersonalDataCategory.TECHNICAL_LOG,
  },
  other: ['failures', 'last_failure_at', 'locked_until'],
})
@Entity('login_failures')
export class LoginFailure {
  @PrimaryColumn({ type: 'bytea' })
  account: Buffer;

  /** The account's user, when there is one (its rows go with it). */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @PrimaryColumn({ type: 'bytea' })
  source: Buffer;

  @Column({ type: 'integer' })
  failures: number;

  @Column({ name: 'last_failure_at', type: 'timestamptz' })
  lastFailureAt: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;
}
