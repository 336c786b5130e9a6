import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { agreementCarries, bulletinTombstonePayload, bulletinVersionPayload } from './bulletin-payload';
import { decodePosition, FeedPage } from './federation-feed.service';
import { FederationRepository, FeedPosition } from './federation.repository';
import { Peer } from './peer.entity';
import { payloadHash, payloadSigned } from './signatures';

export interface IngestOutcome {
  received: number;
  refused: number;
  /** False when another instance of ours moved the cursor first: the page was left to it. */
  applied: boolean;
}

/**
 * A page of a peer's feed, taken in one transaction with the cursor that follows it: killed half way,
 * nothing of it stays and the page comes again; taken twice, the second changes nothing (a version is
 * kept once per STIX id and modified). Each version must be signed by the peer as its origin, authored
 * by one of the peer's organisations, marked within the agreement, not older than a tombstone of the
 * same bulletin, and is kept for our organisations its audience names that the agreement lets receive;
 * each tombstone, as signed, retracts the bulletin or withdraws it up to its version. Anything else is refused, kept in quarantine with the
 * reason, and counted; a second, different payload for a version already kept too.
 */
@Injectable()
export class FederationIngestService {
  constructor(
    private readonly db: DatabaseService,
    private readonly federation: FederationRepository,
  ) {}

  /** `from` is the cursor the page was asked from. */
  async ingest(peer: Peer, from: FeedPosition, page: FeedPage): Promise<IngestOutcome> {
    return this.db.withRequest(
      { identity: { userId: null, organisationId: null, isPlatformAdmin: false, peerId: peer.id } },
      async () => {
        const at = await this.federation.cursor(peer.id);
        if (at.txid !== from.txid || at.seq !== from.seq) return { received: 0, refused: 0, applied: false };
        const next = decodePosition(page.next);
        if (!next) throw new Error(`the peer's next position is not one: ${String(page.next).slice(0, 50)}`);
        let received = 0;
        let refused = 0;
        for (const entry of page.entries ?? []) {
          const reason = await this.take(peer, entry.payload, entry.signature);
          if (reason) {
            refused++;
            await this.federation.quarantine(
              peer.id,
              entry.payload,
              typeof entry.signature === 'string' ? entry.signature : null,
              reason,
            );
          } else received++;
        }
        await this.federation.advanceCursor(peer.id, next, {
          received,
          refused,
          lagEvents: Math.max(0, Number(page.pending) || 0),
          lagSeconds:
            Number(page.pending) > 0 && page.oldestQueuedAt
              ? Math.max(0, Math.round((Date.now() - Date.parse(page.oldestQueuedAt)) / 1000))
              : 0,
        });
        return { received, refused, applied: true };
      },
    );
  }

  /** Null when the version or tombstone is kept (or was already, identically); otherwise why it is refused. */
  private async take(peer: Peer, raw: unknown, signature: unknown): Promise<string | null> {
    if (typeof signature !== 'string' || !payloadSigned(raw, signature, peer.publicKey))
      return 'signature does not verify under the peer key';
    const tombstone = (raw as { type?: unknown } | null)?.type === 'harbourwatch-bulletin-tombstone';
    const parsed = (tombstone ? bulletinTombstonePayload : bulletinVersionPayload).safeParse(raw);
    if (!parsed.success)
      return `not a bulletin ${tombstone ? 'tombstone' : 'version'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`.slice(
        0,
        300,
      );
    const p = parsed.data;
    if (p.origin !== peer.id) return 'the peer relays for another instance, which its agreement does not allow';
    const authors = await this.federation.remoteOrganisations(peer.id);
    if (!authors.some((o) => o.id === p.organisationId)) return 'authored by an organisation that is not the peer’s';
    const origin = await this.federation.originOf(p.bulletinId);
    if (origin && origin !== peer.id) return 'a bulletin of another instance';
    if ('reason' in p) {
      await this.federation.bury({
        bulletinId: p.bulletinId,
        originInstanceId: peer.id,
        reason: p.reason,
        version: p.version,
        modified: new Date(p.modified),
        payload: raw,
        signature,
      });
      return null;
    }
    if (!agreementCarries(peer, p.tlp)) return `marked ${p.tlp}, above what the agreement carries`;
    // A stale copy of a version the origin has since retracted or withdrawn does not come back.
    const buried = await this.federation.tombstone(p.bulletinId);
    if (buried?.reason === 'RETRACTED') return 'retracted by its origin';
    if (buried && p.version <= buried.version) return 'withdrawn by its origin after this version';
    const ours = await this.federation.localActive(p.audience);
    const audience = ours.filter((id) => peer.localOrganisationIds.includes(id)).sort();
    const version = {
      stixId: p.id,
      modified: new Date(p.modified),
      bulletinId: p.bulletinId,
      version: p.version,
      originInstanceId: peer.id,
      organisationId: p.organisationId,
      tlp: p.tlp,
      audience,
      payload: raw,
      signature,
      payloadHash: payloadHash(raw),
      receivedFrom: peer.id,
    };
    const existing = await this.federation.storeVersion(version);
    if (existing !== null)
      return existing === version.payloadHash ? null : 'a second, different payload for a version already kept';
    await this.federation.advanceBulletin(version, p.content);
    return null;
  }
}
