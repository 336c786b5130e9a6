import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/**
 * An organisation's alert e-mail sending rate, shared by every instance (migration EmailSendingBudget;
 * EmailDeliveryService schedules each fan-out's batches on it through `email_schedule`).
 */
@PersonalData({
  purpose: 'Per-organisation e-mail pacing',
  recipients: 'Nobody',
  retention: RETENTION.operational,
  personal: {},
  other: ['organisation_id', 'paid_until'],
})
@Entity('email_sending_budgets')
export class EmailSendingBudget {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** The rate's virtual clock: a batch may start once it is at most the burst tolerance ahead of now. */
  @Column({ name: 'paid_until', type: 'timestamptz' })
  paidUntil: Date;
}
