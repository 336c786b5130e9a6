import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';
import { Tlp } from '../common/tlp';

/** Another instance we peer with, and the agreement of what crosses (one agreement per peer). */
@PersonalData({
  purpose: 'Instances this one exchanges bulletins with, and what may cross',
  recipients: 'Platform administrators',
  retention: RETENTION.peering,
  personal: {},
  other: [
    'id',
    'name',
    'url',
    'public_key',
    'cut_off',
    'sends',
    'receives',
    'max_tlp',
    'local_organisation_ids',
    'remote_organisation_ids',
    'remote_types',
    'remote_ports',
    'may_relay',
    'retention_days',
    'created_at',
    'updated_at',
  ],
})
@Entity('peers')
export class Peer {
  /** The peer instance's own id. */
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  url: string;

  /** Its raw Ed25519 public key, exchanged out of band. */
  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  @Column({ name: 'cut_off', type: 'boolean' })
  cutOff: boolean;

  /** We send it bulletins of `localOrganisationIds`. */
  @Column({ type: 'boolean' })
  sends: boolean;

  /** We take bulletins from it, for `localOrganisationIds`. */
  @Column({ type: 'boolean' })
  receives: boolean;

  @Column({ name: 'max_tlp', type: 'text' })
  maxTlp: Tlp;

  @Column({ name: 'local_organisation_ids', type: 'uuid', array: true })
  localOrganisationIds: string[];

  @Column({ name: 'remote_organisation_ids', type: 'uuid', array: true })
  remoteOrganisationIds: string[];

  @Column({ name: 'remote_types', type: 'text', array: true })
  remoteTypes: string[];

  @Column({ name: 'remote_ports', type: 'text', array: true })
  remotePorts: string[];

  @Column({ name: 'may_relay', type: 'boolean' })
  mayRelay: boolean;

  @Column({ name: 'retention_days', type: 'int' })
  retentionDays: number;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
