import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An organisation's case private key, boxed under its recovery key. */
@Entity('case_keys')
export class CaseKey {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'recovery_wrapped_key', type: 'bytea' })
  recoveryWrappedKey: Buffer;
}
