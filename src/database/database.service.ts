import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { escapeLiteral, type PoolClient } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { currentState, DbIdentity, requestContext, RequestState } from '../common/request-context';
import { rateLimited, RequestEndedError } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ConnectionGuard, onHeldConnection } from './connection-guard';
import { ListenerHandlers, PgListener } from './pg-listener';

/**
 * The request's transaction. The first query of a request opens it and stamps it with the actor
 * (`app.user_id`, `app.org_id`, read by row-level security policies); the GraphQL plugin commits it
 * before the response leaves, or rolls it back when the operation failed, so a failed mutation
 * leaves nothing behind. Once it has ended, the request can open no other: a resolver still running
 * after its response was sent (a sibling field failed fast) gets an error instead of a transaction
 * nobody would ever end.
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);
  readonly connections: ConnectionGuard;
  /** This instance's LISTEN connections (bulletin events, sharing changes): readiness waits for them. */
  readonly listeners = new Set<PgListener>();

  constructor(
    readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.connections = new ConnectionGuard(config.NODE_ENV !== 'production');
    this.connections.install(dataSource);
  }

  /** A LISTEN on a connection of its own, to the application's database. */
  listen(channel: string, handlers: ListenerHandlers): PgListener {
    const listener = new PgListener((this.dataSource.options as { url?: string }).url, channel, handlers);
    this.listeners.add(listener);
    return listener;
  }

  /** The transactional manager of the current request (or a plain one outside any request). */
  async em(): Promise<EntityManager> {
    const state = currentState();
    if (!state) return this.dataSource.manager;
    if (state.ended) throw new RequestEndedError();
    if (state.runner) return state.runner.manager;
    state.opening ??= this.open(state);
    return (await state.opening).manager;
  }

  /**
   * One query for work that may run before the request knows who acts (the session behind a token,
   * checked by the guard, or again by a refresh): in the request's transaction once that is open, else
   * on a pooled connection for this query alone, so that a request never holds two.
   */
  async query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    const state = currentState();
    const manager = state && (state.runner || state.opening) ? await this.em() : this.dataSource.manager;
    return manager.query<T>(sql, parameters);
  }

  /**
   * Serialises, until the request commits, the requests that count an organisation's `scope` before
   * adding to it (its caps): a lock per organisation, never one every organisation contends for.
   */
  async lockOrganisation(scope: string, organisationId: string): Promise<void> {
    await (
      await this.em()
    ).query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${scope}:${organisationId}`]);
  }

  /**
   * A place in the organisation's share of heavy work (cross-matches, imports, exports, feed scans),
   * held until the request's transaction ends: HEAVY_OPERATIONS_PER_ORGANISATION at once on all
   * instances. Beyond its share a request is refused at once (RATE_LIMITED) rather than queued holding a
   * pooled connection; other organisations' shares are their own. The share is a budget of time too
   * (a concurrency share alone let one organisation keep a core busy with back-to-back cross-matches):
   * after HEAVY_WORK_BURST_SECONDS of heavy work in a row, an organisation's heavy work may keep its
   * share busy HEAVY_WORK_BUSY_PERCENT of the time.
   */
  async heavyShare(organisationId: string | null): Promise<void> {
    const em = await this.em();
    const holder = heavyHolder(organisationId);
    const slots = this.config.HEAVY_OPERATIONS_PER_ORGANISATION;
    for (let slot = 0; slot < slots; slot++) {
      const [{ wait, ok }] = await em.query<{ wait: number; ok: boolean }[]>(
        `SELECT w.wait, CASE WHEN w.wait > 0 THEN false ELSE pg_try_advisory_xact_lock(hashtextextended($1, $2)) END AS ok
           FROM heavy_work_wait_ms($1, $3) w(wait)`,
        [holder, slot, this.burstToleranceMs()],
      );
      if (wait > 0) throw heavyWorkResting(wait);
      if (ok) return this.chargeHeavyWork(holder);
    }
    throw rateLimited(
      `Your organisation is already running as many cross-matches, imports, exports or feed scans as it may at once (${slots}): try again when one has finished`,
      1,
    );
  }

  /**
   * Refuses (RATE_LIMITED) heavy work of an organisation whose budget of time is spent, before the
   * request has a transaction: one query on a connection of its own, so a refusal costs no more.
   */
  assertHeavyWorkBudget(organisationId: string | null): Promise<void> {
    return this.paceHeavyWork(organisationId, 0);
  }

  /**
   * Waits, holding no connection, until the organisation's budget of heavy-work time allows more: for
   * work a client does in many steps that should be slowed rather than refused (a TAXII walk, page by
   * page). A wait longer than `maxWaitMs` is refused as `assertHeavyWorkBudget` would.
   */
  async paceHeavyWork(organisationId: string | null, maxWaitMs: number): Promise<void> {
    for (;;) {
      const [{ wait }] = await this.query<{ wait: number }[]>(`SELECT heavy_work_wait_ms($1, $2) AS wait`, [
        heavyHolder(organisationId),
        this.burstToleranceMs(),
      ]);
      if (wait <= 0) return;
      if (wait > maxWaitMs) throw heavyWorkResting(wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** How far the budget's clock may run ahead of now: the rests a burst of heavy work would have owed. */
  private burstToleranceMs(): number {
    const busy = this.config.HEAVY_WORK_BUSY_PERCENT;
    return Math.round((this.config.HEAVY_WORK_BURST_SECONDS * 1000 * (100 - busy)) / busy);
  }

  /** Once the request has ended, charges the time its heavy work kept the share busy (GCRA, in Postgres). */
  private chargeHeavyWork(holder: string): void {
    const busyPercent = this.config.HEAVY_WORK_BUSY_PERCENT;
    if (busyPercent === 100) return;
    const started = performance.now();
    this.afterRequest(async (em) => {
      const busyMs = Math.round(performance.now() - started);
      await em.query(`SELECT heavy_work_charge($1, $2, $3)`, [
        holder,
        busyMs,
        Math.round((busyMs * 100) / busyPercent),
      ]);
    });
  }

  /**
   * Opens the transaction and stamps it with the identity in one round trip (the simple query protocol
   * takes both statements at once; the values are escaped literals), then leaves TypeORM's bookkeeping as
   * its own startTransaction would, so entity saves join this transaction instead of opening another.
   */
  private async open(state: RequestState): Promise<QueryRunner> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      await client.query(`START TRANSACTION; ${identitySql(state.identity ?? identityOf(state))}`);
      Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
    } catch (err) {
      await runner.release();
      throw err;
    }
    state.runner = runner;
    return runner;
  }

  /**
   * For operations that start unauthenticated (login, redeeming an invitation): from now on the
   * request's transaction acts, for row-level security, as `identity`.
   */
  async actAs(identity: DbIdentity): Promise<void> {
    const state = currentState();
    if (!state) throw new Error('actAs needs a request context');
    state.identity = identity;
    const runner = state.runner ?? (state.opening ? await state.opening : undefined);
    if (runner) await this.applyIdentity(runner, identity);
  }

  private async applyIdentity(runner: QueryRunner, identity: DbIdentity): Promise<void> {
    await runner.query(identitySql(identity));
  }

  /**
   * Runs `work` in the current request's transaction just before it commits (never on rollback): for
   * writes that take a lock every request contends for, so it is held for the commit only.
   */
  beforeCommit(work: (em: EntityManager) => Promise<void>): void {
    const state = currentState();
    if (!state || state.ended) throw new RequestEndedError();
    (state.beforeCommit ??= []).push(work);
  }

  /** Runs `effect` after the current request commits (at once outside a request); never on rollback. */
  afterCommit(effect: () => Promise<void>): void {
    const state = currentState();
    if (!state) {
      void effect().catch((err) => this.logger.error(err));
      return;
    }
    (state.afterCommit ??= []).push(effect);
  }

  /**
   * Runs `work` in a transaction of its own once the current request has ended, committed or not (at
   * once outside a request): for what a failing request must still record, such as a failed receipt
   * guess. Unlike `autonomous`, it never holds a second connection while the request holds one.
   */
  afterRequest(work: (em: EntityManager) => Promise<void>): void {
    const state = currentState();
    const run = () => this.autonomous(work).catch((err) => this.logger.error(err));
    if (!state || state.ended) void run();
    else (state.afterEnd ??= []).push(run);
  }

  /** Ends the request's transaction: commit on success, roll back on any error. */
  async finish(state: RequestState, success: boolean): Promise<void> {
    state.ended = true;
    const runner = state.runner ?? (state.opening ? await state.opening.catch(() => undefined) : undefined);
    const last = state.beforeCommit ?? [];
    const effects = state.afterCommit ?? [];
    const always = state.afterEnd ?? [];
    state.runner = undefined;
    state.opening = undefined;
    state.beforeCommit = undefined;
    state.afterCommit = undefined;
    state.afterEnd = undefined;
    try {
      if (runner) await this.end(runner, success, last);
    } finally {
      for (const effect of always) await effect();
    }
    if (!success) return;
    for (const effect of effects) await effect().catch((err) => this.logger.error(err));
  }

  private async end(runner: QueryRunner, success: boolean, last: ((em: EntityManager) => Promise<void>)[]) {
    try {
      if (!runner.isTransactionActive) return;
      if (!success) return await runner.rollbackTransaction();
      try {
        for (const work of last) await work(runner.manager);
      } catch (err) {
        await runner.rollbackTransaction();
        throw err;
      }
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
  }

  /** Runs `work` in a request scope of its own, as GraphQL requests run (for work outside GraphQL). */
  async withRequest<T>(state: RequestState, work: () => Promise<T>): Promise<T> {
    const outer = currentState();
    if (outer !== state) state.parent ??= outer;
    return requestContext.run(state, async () => {
      let ok = false;
      try {
        const result = await work();
        ok = true;
        return result;
      } finally {
        await this.finish(state, ok);
      }
    });
  }

  /**
   * Work that must persist even if the request fails, such as counting a failed login towards lockout.
   * It runs in its own transaction on its own connection, so never while the caller holds one.
   */
  async autonomous<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    this.connections.check();
    return requestContext.exit(() => this.dataSource.transaction((em) => onHeldConnection(() => work(em))));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

const heavyHolder = (organisationId: string | null) => `heavy:${organisationId}`;

const heavyWorkResting = (waitMs: number) =>
  rateLimited(
    'Your organisation has used its share of time for cross-matches, imports, exports and feed scans: try again in a moment',
    waitMs / 1000,
  );

function identityOf(state: RequestState): DbIdentity {
  return {
    userId: state.actor?.userId ?? null,
    organisationId: state.actor?.organisationId ?? null,
    isPlatformAdmin: state.actor?.isPlatformAdmin ?? false,
  };
}

/** The settings row-level security reads, for the rest of the transaction (`set_config(..., true)`). */
function identitySql(identity: DbIdentity): string {
  const settings = {
    'app.user_id': identity.userId ?? '',
    'app.org_id': identity.organisationId ?? '',
    'app.platform_admin': String(identity.isPlatformAdmin),
    'app.case_id': identity.caseId ?? '',
    'app.peer_id': identity.peerId ?? '',
  };
  const calls = Object.entries(settings).map(([name, value]) => `set_config('${name}', ${escapeLiteral(value)}, true)`);
  return `SELECT ${calls.join(', ')}`;
}
