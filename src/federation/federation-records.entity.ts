import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** This instance's id, made once (migration Federation). */
@PersonalData({
  purpose: "This instance's identity towards its peers",
  recipients: 'Peers; platform administrators',
  retention: RETENTION.peering,
  personal: {},
  other: ['id', 'only_one'],
})
@Entity('federation_instance')
export class FederationInstance {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'only_one', type: 'boolean' })
  onlyOne: boolean;
}

/** A bulletin version to serve a peer, in commit order (migration Federation). */
@PersonalData({
  purpose: 'Bulletin versions waiting for a peer to take them',
  recipients: 'The peer, as its agreement admits',
  retention: RETENTION.federatedBulletin,
  personal: {},
  other: ['peer_id', 'txid', 'seq', 'kind', 'bulletin_id', 'version', 'created_at'],
})
@Entity('federation_outbox')
export class FederationOutboxEntry {
  @PrimaryColumn({ name: 'peer_id', type: 'uuid' })
  peerId: string;

  /** The queuing transaction's id (xid8, which fits bigint): the feed's order is commit-safe by it. */
  @PrimaryColumn({ type: 'bigint' })
  txid: string;

  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  /**
   * VERSION: a version to send (or, if the peer may no longer have it, its tombstone); RETRACTED; RECHECK:
   * after an agreement change, a tombstone if the peer may no longer have the bulletin, else nothing.
   */
  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** What a peer was last served of a bulletin: its delivery set, which tombstones must reach. */
@PersonalData({
  purpose: 'Which bulletins each peer was sent, so that retraction and narrowing reach every copy',
  recipients: 'Platform administrators',
  retention: RETENTION.peering,
  personal: {},
  other: ['peer_id', 'bulletin_id', 'version', 'withdrawn', 'delivered_at'],
})
@Entity('federation_deliveries')
export class FederationDelivery {
  @PrimaryColumn({ name: 'peer_id', type: 'uuid' })
  peerId: string;

  @PrimaryColumn({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ type: 'int' })
  version: number;

  /** A tombstone went after it: the peer has nothing of it any more. */
  @Column({ type: 'boolean' })
  withdrawn: boolean;

  @Column({ name: 'delivered_at', type: 'timestamptz' })
  deliveredAt: Date;
}

/** A peer's word that its bulletin was retracted, or withdrawn from us: kept, so no stale copy returns. */
@PersonalData({
  purpose: "Peer instances' retractions and withdrawals of their bulletins",
  recipients: 'Platform administrators',
  retention: RETENTION.peering,
  personal: {},
  other: ['bulletin_id', 'origin_instance_id', 'reason', 'version', 'modified', 'payload', 'signature', 'received_at'],
})
@Entity('federated_tombstones')
export class FederatedTombstone {
  @PrimaryColumn({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ name: 'origin_instance_id', type: 'uuid' })
  originInstanceId: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'timestamptz' })
  modified: Date;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'text' })
  signature: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}

/** How far we have taken a peer's feed, and how that goes. */
@PersonalData({
  purpose: "How far this instance has taken each peer's bulletins, and the link's health",
  recipients: 'Platform administrators',
  retention: RETENTION.peering,
  personal: {},
  other: [
    'peer_id',
    'txid',
    'seq',
    'received',
    'refused',
    'lag_events',
    'lag_seconds',
    'last_attempt_at',
    'last_success_at',
    'consecutive_failures',
    'last_error',
  ],
})
@Entity('federation_cursors')
export class FederationCursor {
  @PrimaryColumn({ name: 'peer_id', type: 'uuid' })
  peerId: string;

  @Column({ type: 'bigint' })
  txid: string;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'bigint' })
  received: string;

  @Column({ type: 'bigint' })
  refused: string;

  @Column({ name: 'lag_events', type: 'bigint' })
  lagEvents: string;

  @Column({ name: 'lag_seconds', type: 'int' })
  lagSeconds: number;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'consecutive_failures', type: 'int' })
  consecutiveFailures: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}

/** Every version a peer sent, once per (STIX id, modified), as its origin signed it. */
@PersonalData({
  purpose: 'Bulletin versions received from peer instances, as their origin signed them',
  recipients: "The organisations here that the origin's audience names",
  retention: RETENTION.federatedBulletin,
  personal: { payload: PersonalDataCategory.BULLETIN_CONTENT },
  other: [
    'stix_id',
    'modified',
    'bulletin_id',
    'version',
    'origin_instance_id',
    'organisation_id',
    'tlp',
    'audience_organisation_ids',
    'signature',
    'payload_hash',
    'received_from',
    'received_at',
  ],
})
@Entity('federated_bulletin_versions')
export class FederatedBulletinVersion {
  @PrimaryColumn({ name: 'stix_id', type: 'text' })
  stixId: string;

  @PrimaryColumn({ type: 'timestamptz' })
  modified: Date;

  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'origin_instance_id', type: 'uuid' })
  originInstanceId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  tlp: string;

  @Column({ name: 'audience_organisation_ids', type: 'uuid', array: true })
  audienceOrganisationIds: string[];

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'text' })
  signature: string;

  @Column({ name: 'payload_hash', type: 'text' })
  payloadHash: string;

  @Column({ name: 'received_from', type: 'uuid' })
  receivedFrom: string;

  @Column({ name: 'received_at', type: 'timestamptz', insert: false, update: false })
  receivedAt: Date;
}

/** A peer's bulletin as its latest version stands, for the audience its origin recorded for us. */
@PersonalData({
  purpose: 'Bulletins of peer instances, their latest version, for the audience their origin set',
  recipients: "The organisations here that the origin's audience names",
  retention: RETENTION.federatedBulletin,
  personal: { content: PersonalDataCategory.BULLETIN_CONTENT },
  other: [
    'id',
    'origin_instance_id',
    'organisation_id',
    'version',
    'modified',
    'tlp',
    'audience_organisation_ids',
    'received_at',
    'retracted_at',
  ],
})
@Entity('federated_bulletins')
export class FederatedBulletinRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'origin_instance_id', type: 'uuid' })
  originInstanceId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'timestamptz' })
  modified: Date;

  @Column({ type: 'text' })
  tlp: string;

  @Column({ name: 'audience_organisation_ids', type: 'uuid', array: true })
  audienceOrganisationIds: string[];

  @Column({ type: 'jsonb' })
  content: Record<string, unknown>;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'retracted_at', type: 'timestamptz', nullable: true })
  retractedAt: Date | null;
}

/** What a peer sent that was refused, kept for platform administrators, with the reason. */
@PersonalData({
  purpose: 'Refused federation payloads, for platform administrators to examine',
  recipients: 'Platform administrators',
  retention: RETENTION.quarantine,
  personal: { payload: PersonalDataCategory.BULLETIN_CONTENT },
  other: ['id', 'peer_id', 'stix_id', 'modified', 'signature', 'reason', 'received_at'],
})
@Entity('federation_quarantine')
export class FederationQuarantineEntry {
  @PrimaryColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'peer_id', type: 'uuid' })
  peerId: string;

  @Column({ name: 'stix_id', type: 'text', nullable: true })
  stixId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  modified: Date | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  signature: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}

/** Nonces of signed requests a peer made, so none is replayed within the signatures' lifetime. */
@PersonalData({
  purpose: "Signed requests' nonces, against replays",
  recipients: 'Nobody (checked by the server)',
  retention: RETENTION.shortLived,
  personal: {},
  other: ['peer_id', 'nonce', 'seen_at'],
})
@Entity('federation_nonces')
export class FederationNonce {
  @PrimaryColumn({ name: 'peer_id', type: 'uuid' })
  peerId: string;

  @PrimaryColumn({ type: 'text' })
  nonce: string;

  @Column({ name: 'seen_at', type: 'timestamptz' })
  seenAt: Date;
}
