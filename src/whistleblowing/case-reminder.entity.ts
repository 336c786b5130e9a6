import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/** The day's deadline reminder to an organisation's case handlers, sent once (the count only). */
@PersonalData({
  purpose: "Which day's overdue-case reminder was sent",
  recipients: 'Nobody',
  retention: RETENTION.operational,
  personal: {},
  other: ['organisation_id', 'day', 'cases', 'sent_at'],
})
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
