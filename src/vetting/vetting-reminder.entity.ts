import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/** A reminder already sent for a vetting about to lapse (sent once per record and validity). */
@PersonalData({
  purpose: "Which day's expiry reminder was sent",
  recipients: 'Nobody',
  retention: RETENTION.operational,
  personal: {},
  other: ['organisation_id', 'day', 'records', 'sent_at'],
})
@Entity('vetting_reminders')
export class VettingReminder {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'integer' })
  records: number;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;
}
