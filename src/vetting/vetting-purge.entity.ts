import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/** One daily purge's count of an authority's ended records past its retention (written by vetting_purge_ended). */
@PersonalData({
  purpose: 'How many vetting records each purge removed',
  recipients: "The authority's admins",
  retention: RETENTION.trailRecord,
  personal: {},
  other: ['id', 'organisation_id', 'purged_at', 'records'],
})
@Entity('vetting_purges')
export class VettingPurge {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'purged_at', type: 'timestamptz' })
  purgedAt: Date;

  @Column({ type: 'integer' })
  records: number;
}
