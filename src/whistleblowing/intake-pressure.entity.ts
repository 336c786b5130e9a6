import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/** How many reporter requests of a purpose arrived in a time bucket (proof-of-work difficulty follows it). */
@PersonalData({
  purpose: 'Counts of anonymous report posts per time bucket (no address)',
  recipients: 'Nobody',
  retention: RETENTION.operational,
  personal: {},
  other: ['purpose', 'bucket', 'n'],
})
@Entity('intake_pressure')
export class IntakePressure {
  @PrimaryColumn({ type: 'text' })
  purpose: string;

  @PrimaryColumn({ type: 'timestamptz' })
  bucket: Date;

  @Column({ type: 'integer' })
  n: number;
}
