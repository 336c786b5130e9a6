import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed sign-ins counted per account and per source, for lockout. */
@Entity('login_failures')
export class LoginFailure {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'bytea' })
  source: Buffer;

  @Column({ type: 'integer' })
  failures: number;

  @Column({ name: 'last_failure_at', type: 'timestamptz' })
  lastFailureAt: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;
}
