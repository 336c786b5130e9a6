import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/** An organisation's case private key, boxed under its recovery key. */
@PersonalData({
  purpose: "The organisation's case key, wrapped for recovery",
  recipients: 'Nobody: sealed',
  retention: RETENTION.organisation,
  personal: {},
  other: ['organisation_id', 'recovery_wrapped_key'],
})
@Entity('case_keys')
export class CaseKey {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'recovery_wrapped_key', type: 'bytea' })
  recoveryWrappedKey: Buffer;
}
