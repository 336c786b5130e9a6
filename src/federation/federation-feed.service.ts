import { Inject, Injectable } from '@nestjs/common';
import { BulletinAccessService } from '../bulletins/bulletin-access.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import {
  agreementAdmits,
  agreementCarries,
  BulletinTombstonePayload,
  BulletinVersionPayload,
  payloadContent,
} from './bulletin-payload';
import { FederationRepository, FeedPosition, FeedRow } from './federation.repository';
import { InstanceIdentityService } from './instance-identity.service';
import { Peer } from './peer.entity';
import { signPayload } from './signatures';

export interface FeedEntry {
  cursor: string;
  payload: BulletinVersionPayload | BulletinTombstonePayload;
  signature: string;
}

export interface FeedPage {
  entries: FeedEntry[];
  /** Where the next page starts: past every row read, also those that carried nothing to this peer. */
  next: string;
  /** Rows after `next`, committed or not yet. */
  pending: number;
  /** When the oldest of them was queued: how far behind the peer is. */
  oldestQueuedAt: string | null;
}

export const encodePosition = (p: FeedPosition): string => `${p.txid}:${p.seq}`;

export function decodePosition(text: string | undefined): FeedPosition | null {
  if (!text) return { txid: '0', seq: '0' };
  const m = /^(\d{1,20}):(\d{1,20})$/.exec(text);
  return m ? { txid: m[1], seq: m[2] } : null;
}

/**
 * What a peer takes from us: its outbox in commit order, each version with the audience our own ability
 * gives it among the peer's organisations the agreement admits (none: the version does not cross),
 * signed by this instance over its canonical form. Runs in the peer's request, acting for each version
 * as its author organisation, which reads it and the sharing rules that decide it.
 */
@Injectable()
export class FederationFeedService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly federation: FederationRepository,
    private readonly access: BulletinAccessService,
    private readonly identity: InstanceIdentityService,
  ) {}

  async page(peer: Peer, after: FeedPosition, limit: number): Promise<FeedPage> {
    await this.federation.acknowledge(peer.id, after);
    const rows = await this.federation.feed(peer.id, after, Math.min(limit, this.config.FEDERATION_PAGE_SIZE));
    const admitted = (await this.federation.remoteOrganisations(peer.id)).filter((o) => agreementAdmits(peer, o));
    const entries: FeedEntry[] = [];
    for (const row of rows) {
      const payload = await this.entry(peer, row, admitted);
      if (payload)
        entries.push({ cursor: encodePosition(row), payload, signature: signPayload(this.identity, payload) });
    }
    const next = rows.at(-1) ?? after;
    const backlog = await this.federation.backlog(peer.id, next);
    return {
      entries,
      next: encodePosition(next),
      pending: backlog.pending,
      oldestQueuedAt: backlog.oldest?.toISOString() ?? null,
    };
  }

  /**
   * The version for the peer's admitted organisations, recorded as delivered (sent again on a replay of
   * the feed). A tombstone instead when the bulletin was retracted, or when the peer holds an earlier
   * version and may not have this one: a retraction or narrowing reaches every copy. A RECHECK (the
   * agreement changed) sends only the tombstone, if one is due. Nothing when the peer holds nothing.
   */
  private async entry(
    peer: Peer,
    row: FeedRow,
    admitted: { id: string; name: string }[],
  ): Promise<BulletinVersionPayload | BulletinTombstonePayload | null> {
    const delivered = await this.federation.delivery(peer.id, row.bulletin_id);
    const holds = delivered !== null && !delivered.withdrawn;
    // The delivery stays: a narrower agreement may still take the retracted copy back.
    if (row.kind === 'RETRACTED') return holds ? this.tombstone(row, 'RETRACTED') : null;
    const version = await this.payload(peer, row, admitted);
    if (version && row.kind === 'RECHECK' && holds && delivered.version >= row.version) return null;
    if (version) {
      await this.federation.recordDelivery(peer.id, row.bulletin_id, row.version, false);
      return version;
    }
    if (!holds) return null;
    await this.federation.recordDelivery(peer.id, row.bulletin_id, row.version, true);
    return this.tombstone(row, 'WITHDRAWN');
  }

  private tombstone(row: FeedRow, reason: 'RETRACTED' | 'WITHDRAWN'): BulletinTombstonePayload {
    return {
      type: 'harbourwatch-bulletin-tombstone',
      spec: 1,
      id: `report--${row.bulletin_id}`,
      bulletinId: row.bulletin_id,
      version: row.version,
      modified: (reason === 'RETRACTED' ? row.queued_at : row.published_at).toISOString(),
      origin: this.identity.id,
      organisationId: row.organisation_id,
      reason,
    };
  }

  private async payload(
    peer: Peer,
    row: FeedRow,
    admitted: { id: string; name: string }[],
  ): Promise<BulletinVersionPayload | null> {
    if (!agreementCarries(peer, row.tlp) || !peer.localOrganisationIds.includes(row.organisation_id)) return null;
    await this.db.actAs({ userId: null, organisationId: row.organisation_id, isPlatformAdmin: false, peerId: peer.id });
    const readers = await this.access.readers(
      {
        authorOrganisationId: row.organisation_id,
        authorUserId: null,
        status: 'PUBLISHED',
        tlp: row.tlp as BulletinVersionPayload['tlp'],
        category: row.category as never,
        recipientOrganisationIds: row.recipient_organisation_ids,
        recipientUserIds: [],
      },
      admitted,
    );
    const audience = readers.flatMap((r) => (r.organisation ? [r.organisation.id] : [])).sort();
    if (!audience.length) return null;
    return {
      type: 'harbourwatch-bulletin-version',
      spec: 1,
      id: `report--${row.bulletin_id}`,
      bulletinId: row.bulletin_id,
      version: row.version,
      modified: row.published_at.toISOString(),
      origin: this.identity.id,
      organisationId: row.organisation_id,
      tlp: row.tlp as BulletinVersionPayload['tlp'],
      audience,
      content: payloadContent(row.content),
    };
  }
}
