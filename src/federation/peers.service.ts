import { Inject, Injectable } from '@nestjs/common';
import { publicKeyFingerprint, publicKeyFromRaw } from '../common/ed25519';
import { badInput, notFound } from '../common/errors';
import { OrganisationType } from '../common/organisation-type';
import type { Actor } from '../common/actor';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AbilityFactory } from '../sharing/ability.factory';
import { DatabaseService } from '../database/database.service';
import { encodePosition } from './federation-feed.service';
import { FederationCursor } from './federation-records.entity';
import { FederationRepository } from './federation.repository';
import { InstanceIdentityService } from './instance-identity.service';
import { Peer } from './peer.entity';
import { FederationInstanceView, PeerInput, PeerView } from './dto/federation.types';

/** Platform administrators' side of federation: who we are, our peers, their agreements and health. */
@Injectable()
export class PeersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly identity: InstanceIdentityService,
    private readonly abilities: AbilityFactory,
    private readonly federation: FederationRepository,
  ) {}

  instance(): FederationInstanceView {
    return {
      id: this.identity.id,
      name: this.identity.name,
      publicKey: this.identity.publicKey.toString('base64'),
      fingerprint: this.identity.fingerprint,
    };
  }

  async list(): Promise<PeerView[]> {
    const em = await this.db.em();
    const peers = await em.find(Peer, { order: { name: 'ASC' } });
    const cursors = new Map((await em.find(FederationCursor)).map((c) => [c.peerId, c]));
    const quarantined = new Map<string, number>(
      (
        await em.query<{ peer_id: string; n: number }[]>(
          `SELECT peer_id, count(*)::int AS n FROM federation_quarantine GROUP BY peer_id`,
        )
      ).map((r) => [r.peer_id, r.n]),
    );
    return peers.map((p) => this.view(p, cursors.get(p.id), quarantined.get(p.id) ?? 0));
  }

  /**
   * Creates the peer or changes its agreement; our organisations listed must be ours. What the peer
   * holds is weighed again against the new agreement.
   */
  async save(input: PeerInput): Promise<PeerView> {
    if (input.id === this.identity.id) throw badInput('This is this instance’s own id', 'input.id');
    if (!input.url.startsWith('https://') && !this.config.FEDERATION_ALLOW_HTTP)
      throw badInput('A peer is reached over https:// (FEDERATION_ALLOW_HTTP allows http for tests)', 'input.url');
    const publicKey = Buffer.from(input.publicKey, 'base64');
    const em = await this.db.em();
    const [{ ours }] = await em.query<{ ours: number }[]>(
      `SELECT count(*)::int AS ours FROM organisations WHERE id = ANY($1) AND home_instance_id IS NULL`,
      [input.localOrganisationIds],
    );
    if (ours !== new Set(input.localOrganisationIds).size)
      throw badInput('List organisations of this instance only', 'input.localOrganisationIds');
    await em.query(
      `INSERT INTO peers (id, name, url, public_key, sends, receives, max_tlp, local_organisation_ids,
                          remote_organisation_ids, remote_types, remote_ports, retention_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, url = EXCLUDED.url, public_key = EXCLUDED.public_key,
              sends = EXCLUDED.sends, receives = EXCLUDED.receives, max_tlp = EXCLUDED.max_tlp,
              local_organisation_ids = EXCLUDED.local_organisation_ids,
              remote_organisation_ids = EXCLUDED.remote_organisation_ids, remote_types = EXCLUDED.remote_types,
              remote_ports = EXCLUDED.remote_ports, retention_days = EXCLUDED.retention_days, updated_at = now()`,
      [
        input.id,
        input.name.trim(),
        input.url.replace(/\/$/, ''),
        publicKey,
        input.sends,
        input.receives,
        input.maxTlp,
        [...new Set(input.localOrganisationIds)],
        [...new Set(input.remoteOrganisationIds)],
        [...new Set(input.remoteTypes)],
        [...new Set(input.remotePorts)],
        input.retentionDays,
      ],
    );
    // A narrower agreement takes back what the peer may no longer have (tombstones in its feed).
    await this.federation.requeue(input.id);
    return this.one(input.id);
  }

  /** A peer the caller may not change is the same NOT_FOUND as one that does not exist. */
  async cutOff(actor: Actor, id: string, cutOff: boolean): Promise<PeerView> {
    if (!(await this.abilities.abilityFor(actor)).can('update', 'Peer')) throw notFound('Peer');
    const em = await this.db.em();
    const { affected } = await em.update(Peer, id, { cutOff, updatedAt: new Date() });
    if (!affected) throw notFound('Peer');
    return this.one(id);
  }

  private async one(id: string): Promise<PeerView> {
    const peer = (await this.list()).find((p) => p.id === id);
    if (!peer) throw notFound('Peer');
    return peer;
  }

  /** Asked, and no success for five pull intervals (at least five minutes). */
  private stalled(c: FederationCursor): boolean {
    const patience = Math.max(5 * this.config.FEDERATION_PULL_SECONDS * 1000, 300_000);
    return c.lastAttemptAt !== null && (!c.lastSuccessAt || Date.now() - c.lastSuccessAt.getTime() > patience);
  }

  private view(p: Peer, cursor: FederationCursor | undefined, quarantined: number): PeerView {
    return {
      id: p.id,
      name: p.name,
      url: p.url,
      fingerprint: publicKeyFingerprint(publicKeyFromRaw(p.publicKey)),
      cutOff: p.cutOff,
      sends: p.sends,
      receives: p.receives,
      maxTlp: p.maxTlp,
      localOrganisationIds: p.localOrganisationIds,
      remoteOrganisationIds: p.remoteOrganisationIds,
      remoteTypes: p.remoteTypes as OrganisationType[],
      remotePorts: p.remotePorts,
      retentionDays: p.retentionDays,
      health: cursor
        ? {
            cursor: encodePosition(cursor),
            received: Number(cursor.received),
            refused: Number(cursor.refused),
            lagEvents: Number(cursor.lagEvents),
            lagSeconds: cursor.lagSeconds,
            lastAttemptAt: cursor.lastAttemptAt,
            lastSuccessAt: cursor.lastSuccessAt,
            consecutiveFailures: cursor.consecutiveFailures,
            lastError: cursor.lastError,
            quarantined,
            stalled: !p.cutOff && this.stalled(cursor),
          }
        : null,
    };
  }
}
