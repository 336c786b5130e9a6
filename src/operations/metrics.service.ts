import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { OutboxService } from '../outbox/outbox.service';
import { federationRefusals } from '../federation/federation-refusals';
import { processFaults } from './process-faults';

type PgPool = { totalCount: number; idleCount: number; waitingCount: number };

/**
 * Prometheus metrics of one server instance, in a registry of its own (not prom-client's global one,
 * so several instances in one process, as in the tests, do not collide).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly operations = new Counter({
    name: 'harbourwatch_graphql_operations_total',
    help: 'GraphQL operations by name, type and outcome',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'harbourwatch_graphql_operation_seconds',
    help: 'GraphQL operation latency in seconds',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(dataSource: DataSource, outbox: OutboxService, db: DatabaseService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'harbourwatch_' });
    new Gauge({
      name: 'harbourwatch_outbox_queue_depth',
      help: 'Jobs waiting in each outbox queue',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        for (const [queue, depth] of Object.entries(await outbox.queueDepths())) this.set({ queue }, depth);
      },
    });
    new Gauge({
      name: 'harbourwatch_notification_failures',
      help: 'E-mail deliveries that failed after every retry',
      registers: [this.registry],
      async collect() {
        const [{ n }] = await dataSource.query(`SELECT notification_failure_count() AS n`);
        this.set(Number(n));
      },
    });
    new Counter({
      name: 'harbourwatch_unhandled_rejections_total',
      help: 'Promise rejections nobody handled: logged, and the process went on',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(processFaults.unhandledRejections);
      },
    });
    new Counter({
      name: 'harbourwatch_federation_refused_requests_total',
      help: 'Federation requests refused: not signed by a peer (or cut off), a replayed nonce, a direction not agreed',
      labelNames: ['reason'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(federationRefusals)) this.inc({ reason }, n);
      },
    });
    // Each peer we receive from: how far behind, refused versions, failures in a row, since the last success.
    for (const [column, help] of [
      ['lag_events', 'Versions a peer has queued for us that we have not taken yet'],
      ['lag_seconds', 'Age of the oldest version a peer has queued for us, while any remain'],
      ['refused', 'Versions a peer sent that were refused and quarantined'],
      ['consecutive_failures', 'Failed turns with a peer since its last success'],
      ['seconds_since_success', 'Seconds since a turn with a peer last succeeded (a cursor that stops moving)'],
    ] as const) {
      new Gauge({
        name: `harbourwatch_federation_${column}`,
        help,
        labelNames: ['peer'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const row of await dataSource.query(`SELECT * FROM federation_health()`))
            this.set({ peer: row.peer }, Number(row[column] ?? -1));
        },
      });
    }
    new Counter({
      name: 'harbourwatch_db_second_acquisitions_total',
      help: 'Pooled connections asked for while the same request or job held one (should stay 0)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(db.connections.violations);
      },
    });
    const pool = () => (dataSource.driver as unknown as { master: PgPool }).master;
    for (const [state, read] of [
      ['total', (p: PgPool) => p.totalCount],
      ['idle', (p: PgPool) => p.idleCount],
      ['waiting', (p: PgPool) => p.waitingCount],
    ] as const) {
      new Gauge({
        name: `harbourwatch_db_pool_${state}`,
        help: `Database pool connections: ${state}`,
        registers: [this.registry],
        collect() {
          this.set(read(pool()));
        },
      });
    }
  }
}
