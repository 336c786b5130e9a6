import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/** A reporter challenge already used (by digest), kept until it would have expired. */
@PersonalData({
  purpose: 'Proof-of-work challenges already used by anonymous reporters (no address)',
  recipients: 'Nobody',
  retention: RETENTION.shortLived,
  personal: {},
  other: ['digest', 'expires_on'],
})
@Entity('spent_challenges')
export class SpentChallenge {
  @PrimaryColumn({ type: 'bytea' })
  digest: Buffer;

  @Column({ name: 'expires_on', type: 'date' })
  expiresOn: string;
}
