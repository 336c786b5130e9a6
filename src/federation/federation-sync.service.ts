import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import type { DbIdentity } from '../common/request-context';
import { encodePosition, FeedPage } from './federation-feed.service';
import { FederationIngestService } from './federation-ingest.service';
import { DirectoryEntry, FederationRepository } from './federation.repository';
import { InstanceIdentityService } from './instance-identity.service';
import { PeerClient } from './peer-client';

/** Pages taken from one peer in one turn: a peer with a backlog takes its turn again soon, never all of it. */
const PAGES_PER_TURN = 20;

const asPeer = (peerId: string): DbIdentity => ({ userId: null, organisationId: null, isPlatformAdmin: false, peerId });

/**
 * Every FEDERATION_PULL_SECONDS each peer is asked, each on its own (one slow or broken peer delays no
 * other): its directory (its organisations we may address), then, if we receive from it, its feed from
 * our cursor, page after page. No connection is held while a peer answers; the page and the cursor are then taken in
 * one transaction (FederationIngestService). Failures count on the peer's cursor with the reason.
 */
@Injectable()
export class FederationSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FederationSyncService.name);
  private readonly client: PeerClient;
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly federation: FederationRepository,
    private readonly ingest: FederationIngestService,
    identity: InstanceIdentityService,
  ) {
    this.client = new PeerClient(config, identity);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.syncAll(), this.config.FEDERATION_PULL_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async syncAll(): Promise<void> {
    const peers: { id: string }[] = await this.db.dataSource
      .query(`SELECT id FROM federation_peers_active()`)
      .catch(() => []);
    await Promise.allSettled(peers.filter((p) => !this.busy.has(p.id)).map((p) => this.sync(p.id)));
  }

  /** One turn with one peer: directory, then feed pages until caught up (or PAGES_PER_TURN). */
  async sync(peerId: string): Promise<{ received: number; refused: number }> {
    this.busy.add(peerId);
    const total = { received: 0, refused: 0 };
    try {
      const peer = await this.db.withRequest({ identity: asPeer(peerId) }, () => this.federation.peer(peerId));
      if (!peer || !(peer.sends || peer.receives) || peer.cutOff) return total;
      const directory = await this.client.get<{ organisations: DirectoryEntry[] }>(
        peer.url,
        '/federation/v1/directory',
      );
      const synced = await this.db.withRequest({ identity: asPeer(peerId) }, () =>
        this.federation.syncDirectory(peer.id, directory.organisations ?? []),
      );
      if (synced.refused)
        this.logger.warn(`peer ${peer.name} listed ${synced.refused} organisations that are not its own`);
      if (!peer.receives) return total;
      for (let i = 0; i < PAGES_PER_TURN; i++) {
        const from = await this.db.withRequest({ identity: asPeer(peerId) }, () => this.federation.cursor(peer.id));
        const page = await this.client.get<FeedPage>(
          peer.url,
          `/federation/v1/feed?after=${encodeURIComponent(encodePosition(from))}&limit=${this.config.FEDERATION_PAGE_SIZE}`,
        );
        const outcome = await this.ingest.ingest(peer, from, page);
        total.received += outcome.received;
        total.refused += outcome.refused;
        if (!outcome.applied || !(Number(page.pending) > 0) || page.next === encodePosition(from)) break;
      }
      return total;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.logger.warn(`federation with peer ${peerId}: ${reason}`);
      await this.db.withRequest({ identity: asPeer(peerId) }, () => this.federation.failed(peerId, reason));
      throw err;
    } finally {
      this.busy.delete(peerId);
    }
  }
}
