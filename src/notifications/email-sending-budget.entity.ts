import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An organisation's alert e-mail sending rate, shared by every instance (migration EmailSendingBudget;
 * EmailDeliveryService schedules each fan-out's batches on it through `email_schedule`).
 */
@Entity('email_sending_budgets')
export class EmailSendingBudget {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** The rate's virtual clock: a batch may start once it is at most the burst tolerance ahead of now. */
  @Column({ name: 'paid_until', type: 'timestamptz' })
  paidUntil: Date;
}
