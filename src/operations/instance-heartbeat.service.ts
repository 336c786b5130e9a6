import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DatabaseService } from '../database/database.service';

/** How often a process says it is alive; one missing three beats is counted gone. */
export const HEARTBEAT_MS = 30_000;

/**
 * Every server process (each cluster worker too) keeps a row in `server_instances` fresh, so the
 * platform administrators' health view counts what is running across hosts; a clean stop removes it.
 */
@Injectable()
export class InstanceHeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InstanceHeartbeatService.name);
  private readonly id = randomUUID();
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: DatabaseService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch((err) => this.logger.warn(String(err))), HEARTBEAT_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.db
      .autonomous((em) => em.query(`DELETE FROM server_instances WHERE id = $1`, [this.id]))
      .catch(() => undefined); // the database may be gone first; the row then ages out
  }

  private beat(): Promise<unknown> {
    return this.db.autonomous((em) =>
      em.query(
        `INSERT INTO server_instances (id, host, pid) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET seen_at = now()`,
        [this.id, hostname(), process.pid],
      ),
    );
  }
}
