import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** Requests of one caller in one fixed window, shared by every instance (migration SharedThrottles). */
@PersonalData({
  purpose: 'Request throttles per account, key or address',
  recipients: 'Nobody',
  retention: RETENTION.operational,
  personal: { key: PersonalDataCategory.TECHNICAL_LOG },
  other: ['scope', 'window_start', 'hits'],
})
@Entity('request_counts')
export class RequestCount {
  @PrimaryColumn({ type: 'text' })
  scope: string;

  /** A machine client's id, or the throttler's hash of a route and an address (never the address). */
  @PrimaryColumn({ type: 'text' })
  key: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ type: 'integer' })
  hits: number;
}
