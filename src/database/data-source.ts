import { DataSource, DataSourceOptions } from 'typeorm';
import { SerialClient } from './serial-client';

/**
 * The tables the code maps and the migrations that build them. Each module lists its own entities; only
 * the root joins them (src/entities.ts, migrations/index.ts), so the database layer names no domain.
 */
export interface DataModel {
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/** Server-side limits on the application's connections: a backstop, should a transaction ever be left open. */
export interface SessionLimits {
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

function dataSourceOptions(url: string, model: DataModel, poolSize = 10, limits?: SessionLimits): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: model.entities,
    migrations: model.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize,
    applicationName: 'harbourwatch',
    extra: {
      Client: SerialClient,
      ...(limits && {
        statement_timeout: limits.statementTimeoutMs,
        idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
      }),
    },
  };
}

export function createDataSource(url: string, model: DataModel, poolSize?: number, limits?: SessionLimits): DataSource {
  return new DataSource(dataSourceOptions(url, model, poolSize, limits));
}
