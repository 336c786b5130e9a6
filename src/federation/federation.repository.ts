import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { Peer } from './peer.entity';

/** A position in a peer's outbox: transaction id, then sequence within it. */
export interface FeedPosition {
  txid: string;
  seq: string;
}

export interface FeedRow extends FeedPosition {
  kind: 'VERSION' | 'RETRACTED' | 'RECHECK';
  queued_at: Date;
  bulletin_id: string;
  version: number;
  organisation_id: string;
  content: Record<string, unknown>;
  tlp: string;
  category: string;
  recipient_organisation_ids: string[];
  published_at: Date;
}

export interface StoredVersion {
  stixId: string;
  modified: Date;
  bulletinId: string;
  version: number;
  originInstanceId: string;
  organisationId: string;
  tlp: string;
  audience: string[];
  payload: unknown;
  signature: string;
  payloadHash: string;
  receivedFrom: string;
}

export interface DirectoryEntry {
  id: string;
  name: string;
  type: string;
  sector: string;
  ports: string[];
}

/** Federation's rows, in the transaction of the request or job (acting as a peer where it must). */
@Injectable()
export class FederationRepository {
  constructor(private readonly db: DatabaseService) {}

  async peer(id: string): Promise<Peer | null> {
    return (await this.db.em()).findOneBy(Peer, { id });
  }

  /** False when the peer used this nonce before; forgets its nonces older than any live signature. */
  async spendNonce(peerId: string, nonce: string): Promise<boolean> {
    const em = await this.db.em();
    await em.query(`DELETE FROM federation_nonces WHERE peer_id = $1 AND seen_at < now() - interval '5 minutes'`, [
      peerId,
    ]);
    const rows: unknown[] = await em.query(
      `INSERT INTO federation_nonces (peer_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [peerId, nonce],
    );
    return rows.length > 0;
  }

  /** Our organisations the agreement lets the peer address (ours only, active). */
  async directory(ids: string[]): Promise<DirectoryEntry[]> {
    return (await this.db.em()).query(
      `SELECT id, name, type, sector, ports FROM organisations
        WHERE id = ANY($1) AND home_instance_id IS NULL AND status = 'ACTIVE' ORDER BY name`,
      [ids],
    );
  }

  async syncDirectory(
    peerId: string,
    listed: DirectoryEntry[],
  ): Promise<{ upserted: number; suspended: number; refused: number }> {
    const [row] = await (
      await this.db.em()
    ).query(`SELECT * FROM federation_sync_directory($1, $2::jsonb)`, [peerId, JSON.stringify(listed)]);
    return row;
  }

  /** The peer's active organisations as they are here. */
  async remoteOrganisations(peerId: string): Promise<{ id: string; name: string; type: string; ports: string[] }[]> {
    return (await this.db.em()).query(
      `SELECT id, name, type, ports FROM organisations WHERE home_instance_id = $1 AND status = 'ACTIVE'`,
      [peerId],
    );
  }

  /** Our active organisations among these (a received audience may name only ours). */
  async localActive(ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await (
      await this.db.em()
    ).query(`SELECT id FROM organisations WHERE id = ANY($1) AND home_instance_id IS NULL AND status = 'ACTIVE'`, [
      ids,
    ]);
    return rows.map((r) => r.id);
  }

  async feed(peerId: string, after: FeedPosition, limit: number): Promise<FeedRow[]> {
    return (await this.db.em()).query(`SELECT * FROM federation_feed($1, $2::bigint, $3, $4)`, [
      peerId,
      after.txid,
      after.seq,
      limit,
    ]);
  }

  /** What the peer was last served of the bulletin, if anything (withdrawn: a tombstone since). */
  async delivery(peerId: string, bulletinId: string): Promise<{ version: number; withdrawn: boolean } | null> {
    const [row] = await (
      await this.db.em()
    ).query(`SELECT version, withdrawn FROM federation_deliveries WHERE peer_id = $1 AND bulletin_id = $2`, [
      peerId,
      bulletinId,
    ]);
    return row ?? null;
  }

  /** After the agreement changed: the peer's delivery set queued again at current versions. */
  async requeue(peerId: string): Promise<number> {
    const [{ n }] = await (await this.db.em()).query(`SELECT federation_requeue($1) AS n`, [peerId]);
    return n;
  }

  /** The peer was served `version` (withdrawn: a tombstone in its place). */
  async recordDelivery(peerId: string, bulletinId: string, version: number, withdrawn: boolean): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `INSERT INTO federation_deliveries (peer_id, bulletin_id, version, withdrawn) VALUES ($1, $2, $3, $4)
       ON CONFLICT (peer_id, bulletin_id) DO UPDATE SET version = EXCLUDED.version, withdrawn = EXCLUDED.withdrawn,
              delivered_at = now()`,
      [peerId, bulletinId, version, withdrawn],
    );
  }

  /** The peer's tombstone of a bulletin, if it sent one. */
  async tombstone(bulletinId: string): Promise<{ reason: string; version: number } | null> {
    const [row] = await (
      await this.db.em()
    ).query(`SELECT reason, version FROM federated_tombstones WHERE bulletin_id = $1`, [bulletinId]);
    return row ?? null;
  }

  /**
   * Keeps a tombstone (a newer one replaces an older; a retraction is final) and applies it: a retracted
   * bulletin shows as retracted, a withdrawn one goes with its versions up to the tombstone's.
   */
  async bury(t: {
    bulletinId: string;
    originInstanceId: string;
    reason: 'RETRACTED' | 'WITHDRAWN';
    version: number;
    modified: Date;
    payload: unknown;
    signature: string;
  }): Promise<void> {
    const em = await this.db.em();
    await em.query(
      `INSERT INTO federated_tombstones (bulletin_id, origin_instance_id, reason, version, modified, payload, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (bulletin_id) DO UPDATE SET reason = EXCLUDED.reason, version = EXCLUDED.version,
              modified = EXCLUDED.modified, payload = EXCLUDED.payload, signature = EXCLUDED.signature, received_at = now()
        WHERE federated_tombstones.reason <> 'RETRACTED' AND federated_tombstones.version <= EXCLUDED.version`,
      [t.bulletinId, t.originInstanceId, t.reason, t.version, t.modified, JSON.stringify(t.payload), t.signature],
    );
    if (t.reason === 'RETRACTED') {
      await em.query(`UPDATE federated_bulletins SET retracted_at = $2 WHERE id = $1 AND retracted_at IS NULL`, [
        t.bulletinId,
        t.modified,
      ]);
      return;
    }
    await em.query(`DELETE FROM federated_bulletins WHERE id = $1 AND version <= $2`, [t.bulletinId, t.version]);
    await em.query(`DELETE FROM federated_bulletin_versions WHERE bulletin_id = $1 AND version <= $2`, [
      t.bulletinId,
      t.version,
    ]);
  }

  /** The peer asked for what follows `through`: its outbox up to there is done with. */
  async acknowledge(peerId: string, through: FeedPosition): Promise<void> {
    await (
      await this.db.em()
    ).query(`SELECT federation_acknowledge($1, $2::bigint, $3)`, [peerId, through.txid, through.seq]);
  }

  /** What remains queued for the peer after a position (committed or not yet), and since when. */
  async backlog(peerId: string, after: FeedPosition): Promise<{ pending: number; oldest: Date | null }> {
    const [row] = await (
      await this.db.em()
    ).query(`SELECT pending::int AS pending, oldest FROM federation_backlog($1, $2::bigint, $3)`, [
      peerId,
      after.txid,
      after.seq,
    ]);
    return row;
  }

  /** The cursor row of a peer, made on first use. */
  async cursor(peerId: string): Promise<FeedPosition> {
    const em = await this.db.em();
    await em.query(`INSERT INTO federation_cursors (peer_id) VALUES ($1) ON CONFLICT DO NOTHING`, [peerId]);
    const [row] = await em.query(
      `SELECT txid::text AS txid, seq::text AS seq FROM federation_cursors WHERE peer_id = $1 FOR UPDATE`,
      [peerId],
    );
    return row;
  }

  /** The instance a received bulletin came from, if any came (whoever sent it). */
  async originOf(bulletinId: string): Promise<string | null> {
    const [row] = await (await this.db.em()).query(`SELECT federated_bulletin_origin($1) AS origin`, [bulletinId]);
    return row?.origin ?? null;
  }

  /** Stores a version once; an existing one's payload hash otherwise (null: stored now). */
  async storeVersion(v: StoredVersion): Promise<string | null> {
    const em = await this.db.em();
    const inserted: unknown[] = await em.query(
      `INSERT INTO federated_bulletin_versions (stix_id, modified, bulletin_id, version, origin_instance_id, organisation_id,
                                                tlp, audience_organisation_ids, payload, signature, payload_hash, received_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING 1`,
      [
        v.stixId,
        v.modified,
        v.bulletinId,
        v.version,
        v.originInstanceId,
        v.organisationId,
        v.tlp,
        v.audience,
        JSON.stringify(v.payload),
        v.signature,
        v.payloadHash,
        v.receivedFrom,
      ],
    );
    if (inserted.length) return null;
    const [existing] = await em.query(
      `SELECT payload_hash FROM federated_bulletin_versions WHERE (stix_id = $1 AND modified = $2) OR (bulletin_id = $3 AND version = $4)`,
      [v.stixId, v.modified, v.bulletinId, v.version],
    );
    return existing?.payload_hash ?? 'unreadable';
  }

  /** The bulletin as its latest version stands: an older version arriving late changes nothing. */
  async advanceBulletin(v: StoredVersion, content: unknown): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `INSERT INTO federated_bulletins (id, origin_instance_id, organisation_id, version, modified, tlp, audience_organisation_ids, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, modified = EXCLUDED.modified, tlp = EXCLUDED.tlp,
              audience_organisation_ids = EXCLUDED.audience_organisation_ids, content = EXCLUDED.content, received_at = now()
        WHERE federated_bulletins.version < EXCLUDED.version AND federated_bulletins.origin_instance_id = EXCLUDED.origin_instance_id`,
      [
        v.bulletinId,
        v.originInstanceId,
        v.organisationId,
        v.version,
        v.modified,
        v.tlp,
        v.audience,
        JSON.stringify(content),
      ],
    );
  }

  async quarantine(peerId: string, payload: unknown, signature: string | null, reason: string): Promise<void> {
    const p = (payload ?? {}) as { id?: unknown; modified?: unknown };
    await (
      await this.db.em()
    ).query(
      `INSERT INTO federation_quarantine (peer_id, stix_id, modified, payload, signature, reason)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        peerId,
        typeof p.id === 'string' ? p.id.slice(0, 200) : null,
        typeof p.modified === 'string' && !Number.isNaN(Date.parse(p.modified)) ? p.modified : null,
        JSON.stringify(payload ?? null),
        signature?.slice(0, 200) ?? null,
        reason,
      ],
    );
  }

  /** After a page: where the cursor stands, what came and what was refused, and how far behind we are. */
  async advanceCursor(
    peerId: string,
    to: FeedPosition,
    counts: { received: number; refused: number; lagEvents: number; lagSeconds: number },
  ): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `UPDATE federation_cursors SET txid = $2::bigint, seq = $3, received = received + $4, refused = refused + $5,
              lag_events = $6, lag_seconds = $7, last_attempt_at = now(), last_success_at = now(),
              consecutive_failures = 0, last_error = NULL
        WHERE peer_id = $1`,
      [peerId, to.txid, to.seq, counts.received, counts.refused, counts.lagEvents, counts.lagSeconds],
    );
  }

  async failed(peerId: string, error: string): Promise<void> {
    const em = await this.db.em();
    await em.query(`INSERT INTO federation_cursors (peer_id) VALUES ($1) ON CONFLICT DO NOTHING`, [peerId]);
    await em.query(
      `UPDATE federation_cursors SET last_attempt_at = now(), consecutive_failures = consecutive_failures + 1,
              last_error = $2 WHERE peer_id = $1`,
      [peerId, error.slice(0, 500)],
    );
  }
}
