import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The day's deadline reminder to an organisation's case handlers, sent once (the count only). */
@Entity('case_reminders')
export class CaseReminder {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'integer' })
  cases: number;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;
}
