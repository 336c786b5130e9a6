import { Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { currentState, type RequestState } from '../common/request-context';

/** Work running on a connection of its own (DatabaseService.autonomous): it asks the pool for no other. */
const holding = new AsyncLocalStorage<true>();

export function onHeldConnection<T>(work: () => Promise<T>): Promise<T> {
  return holding.run(true, work);
}

/** Whether this request, or one it runs inside (DatabaseService.withRequest), has its transaction open. */
function holds(state: RequestState | undefined): boolean {
  for (let s = state; s; s = s.parent) if ((s.runner || s.opening) && !s.ended) return true;
  return false;
}

/**
 * A request or job holds at most one pooled connection at a time (ARCHITECTURE.md 4b). One that asks
 * the pool again while holding one waits for a connection that, once every connection is so held,
 * never comes: the whole server stalls until Postgres ends the transactions. Every acquisition is checked:
 * a second one throws where `strict` (development and tests) and is logged and counted in production.
 */
export class ConnectionGuard {
  private readonly logger = new Logger(ConnectionGuard.name);
  /** Second acquisitions seen (harbourwatch_db_second_acquisitions_total). */
  violations = 0;

  constructor(private readonly strict: boolean) {}

  install(dataSource: DataSource): void {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { connect: (...args: unknown[]) => unknown }).connect = (...args: unknown[]) => {
      this.check();
      return connect(...args);
    };
  }

  /** Before asking the pool for a connection from outside this request's context (DatabaseService.autonomous). */
  check(): void {
    if (!holding.getStore() && !holds(currentState())) return;
    this.violations++;
    const error = new Error('A second pooled connection was asked for while this request or job holds one');
    if (this.strict) throw error;
    this.logger.error(error.stack);
  }
}
