import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A reminder already sent for a vetting about to lapse (sent once per record and validity). */
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
