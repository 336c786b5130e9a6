import type { Client } from 'pg';
import type { PgListener } from '../../src/database/pg-listener';
import { AdmittingRulesCache } from '../../src/sharing/admitting-rules.cache';
import type { TestApp } from './test-app';

/**
 * Holds back the `sharing_changed` notifications this instance's rules cache hears, as a loaded
 * machine may deliver them after the writer's next request; returns what delivers them again.
 */
export function holdSharingNotifications(t: TestApp): () => void {
  const listener = t.app.get<AdmittingRulesCache, { listener: PgListener }>(AdmittingRulesCache).listener;
  const client = (listener as unknown as { client: Client }).client;
  const deliver = client.listeners('notification') as ((...args: unknown[]) => void)[];
  client.removeAllListeners('notification');
  return () => deliver.forEach((d) => client.on('notification', d));
}
