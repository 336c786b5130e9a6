import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A reporter challenge already used (by digest), kept until it would have expired. */
@Entity('spent_challenges')
export class SpentChallenge {
  @PrimaryColumn({ type: 'bytea' })
  digest: Buffer;

  @Column({ name: 'expires_on', type: 'date' })
  expiresOn: string;
}
