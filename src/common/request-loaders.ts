import DataLoader from 'dataloader';
import { currentState } from './request-context';

/**
 * A DataLoader per request and per name, so field resolvers over a list batch into one query
 * (no N+1) and nothing cached outlives the request (authorization may differ on the next one).
 */
export function requestLoader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  const state = currentState();
  if (!state) return new DataLoader(batch);
  state.loaders ??= new Map();
  let loader = state.loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader(batch);
    state.loaders.set(name, loader);
  }
  return loader;
}

/** Groups rows by key in the order DataLoader asked for them. */
export function groupBy<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) map.set(keyOf(row), [...(map.get(keyOf(row)) ?? []), row]);
  return keys.map((k) => map.get(k) ?? []);
}
