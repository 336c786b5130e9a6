import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { OutboxService } from '../outbox/outbox.service';
import { PlatformHealth } from './dto/platform-health.types';
import { HEARTBEAT_MS } from './instance-heartbeat.service';
import { KeyRotationService } from './key-rotation.service';

/** What a platform administrator needs to see at a glance: database, outbox, failures, instances, keys. */
@Injectable()
export class PlatformHealthService {
  constructor(
    private readonly db: DatabaseService,
    private readonly outbox: OutboxService,
    private readonly keyRotation: KeyRotationService,
  ) {}

  async health(): Promise<PlatformHealth> {
    const em = await this.db.em();
    const started = performance.now();
    const [db] = await em.query(
      `SELECT current_setting('server_version') AS version, pg_database_size(current_database())::float8 AS size`,
    );
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const [{ n: failed }] = await em.query(`SELECT notification_failure_count() AS n`);
    const instances = await em.query(
      `SELECT host, pid, started_at AS "startedAt", seen_at AS "seenAt" FROM server_instances
        WHERE seen_at > now() - make_interval(secs => $1) ORDER BY host, pid`,
      [(3 * HEARTBEAT_MS) / 1000],
    );
    const depths = await this.outbox.queueDepths();
    return {
      checkedAt: new Date(),
      database: { ok: true, latencyMs, version: db.version, sizeBytes: db.size },
      outbox: Object.entries(depths)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([queue, waiting]) => ({ queue, waiting })),
      failedDeliveries: Number(failed),
      instances,
      keys: await this.keyRotation.status(),
    };
  }
}
