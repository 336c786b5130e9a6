import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import PgBoss from 'pg-boss';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { OUTBOX_SCHEMA } from './outbox-queues';

/**
 * Workers besides the e-mail and webhook senders: bulletin fan-out, dead letters, the daily digest,
 * vetting reminders, case retention, invitations, vetting retention, case reminders, response
 * reminders, webhook fan-out, webhook dead letters, TAXII status retention, audit checkpoints,
 * webhook-disabled notices, member-joined notices, correlation, personal-data retention, key rotation.
 */
const OTHER_WORKERS = 18;
/** pg-boss's own connections (cron, maintenance). */
const BOSS_CONNECTIONS = 2;

/**
 * The durable outbox (pg-boss, in Postgres). Jobs are enqueued inside the caller's transaction, so a
 * committed action always has its jobs and a rolled-back one has none; workers retry with backoff.
 */
@Injectable()
export class OutboxService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxService.name);
  private boss: PgBoss;
  private workers = 0;
  private stopped = false;
  /** This process's workers of each queue, woken when it enqueues there. */
  private readonly workersOf = new Map<string, string[]>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
  ) {}

  async onModuleInit(): Promise<void> {
    const { url } = this.dataSource.options as { url?: string };
    // The schema and queues come from a migration: the application role only uses them.
    // A job whose worker died (killed, crashed) is retried once it times out; maintenance notices that.
    this.boss = new PgBoss({
      connectionString: url,
      schema: OUTBOX_SCHEMA,
      migrate: false,
      // One connection per worker plus pg-boss's own (cron, maintenance): a worker whose fetch waits in
      // pg's pool queue when the pool ends is never served, and then never stops.
      max: this.workerSlots() + BOSS_CONNECTIONS,
      maintenanceIntervalSeconds: this.config.OUTBOX_MAINTENANCE_SECONDS,
    });
    // Once stopped, pg-boss may still report its idle connections ending with the database: not an error.
    this.boss.on('error', (err) =>
      this.stopped
        ? this.logger.debug(`outbox (stopped): ${err.message}`)
        : this.logger.error(`outbox: ${err.message}`),
    );
    await this.boss.start();
  }

  /**
   * Enqueues in the transaction of `em`. Once it commits, this process's workers of the queue look at
   * once for jobs due now (other instances' at their next poll): an alert does not wait half a second
   * at every step of its way (fan-out, then delivery) for a worker to poll.
   */
  async enqueue(em: EntityManager, queue: string, jobs: Omit<PgBoss.JobInsert, 'name'>[]): Promise<void> {
    if (!jobs.length) return;
    const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: await em.query(text, values) }) };
    await this.boss.insert(
      jobs.map((job) => ({ name: queue, expireInSeconds: this.config.OUTBOX_JOB_TIMEOUT_SECONDS, ...job })),
      { db },
    );
    // Only for work due now: waking workers for jobs put off (a webhook's turn, a sending rate) had
    // them fetch in a loop.
    if (jobs.some((job) => job.startAfter === undefined))
      this.db.afterCommit(async () => {
        for (const id of this.workersOf.get(queue) ?? []) this.boss.notifyWorker(id);
      });
  }

  async work<T extends object>(queue: string, handler: (data: T) => Promise<void>, batchSize = 1): Promise<void> {
    if (++this.workers > this.workerSlots())
      throw new Error('outbox: more workers than pool connections; raise OTHER_WORKERS');
    const worker = { id: '' };
    worker.id = await this.boss.work<T>(queue, { batchSize, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const job of jobs) {
        await handler(job.data).catch((err: unknown) => {
          // pg-boss keeps the error with the job and retries it; operators see it here.
          this.logger.warn(`${queue}: job ${job.id} failed, retried with backoff: ${String(err)}`);
          throw err;
        });
      }
      // A worker that found work looks again at once: pg-boss would wait its polling interval after every
      // job, which caps a worker at two jobs a second and lets one organisation's burst queue everyone's.
      if (worker.id) this.boss.notifyWorker(worker.id);
    });
    this.workersOf.set(queue, [...(this.workersOf.get(queue) ?? []), worker.id]);
  }

  /**
   * Runs `job` once a day at `time` (HH:MM, UTC), on whichever instance takes it; scheduling the same
   * queue again replaces its schedule, so every instance may call this at start.
   */
  async runDaily(queue: string, time: string, job: () => Promise<unknown>): Promise<void> {
    const [hours, minutes] = time.split(':').map(Number);
    await this.runOnSchedule(queue, `${minutes} ${hours} * * *`, job);
  }

  /** Runs `job` every `minutes` (1 to 60) past the hour, on whichever instance takes it. */
  runEvery(queue: string, minutes: number, job: () => Promise<unknown>): Promise<void> {
    return this.runOnSchedule(queue, minutes >= 60 ? '0 * * * *' : `*/${minutes} * * * *`, job);
  }

  private async runOnSchedule(queue: string, cron: string, job: () => Promise<unknown>): Promise<void> {
    await this.boss.schedule(queue, cron, {}, { tz: 'UTC' });
    await this.work(queue, async () => {
      await job();
    });
  }

  /** Jobs waiting (created or retrying) per queue, for /metrics. */
  async queueDepths(): Promise<Record<string, number>> {
    const queues = await this.boss.getQueues();
    return Object.fromEntries(
      await Promise.all(queues.map(async (q) => [q.name, await this.boss.getQueueSize(q.name)] as const)),
    );
  }

  private workerSlots(): number {
    return this.config.EMAIL_WORKERS + this.config.WEBHOOK_WORKERS + OTHER_WORKERS;
  }

  async onApplicationShutdown(): Promise<void> {
    // Finish the jobs in hand, then stop; an interrupted job is retried by another worker.
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => undefined);
    this.stopped = true;
  }
}
