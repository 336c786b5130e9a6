import autocannon from 'autocannon';
import { postgresCpuMs, processCpuMs } from './proc-usage';

export interface LoadResult {
  name: string;
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU milliseconds per request of the serving process and of Postgres, when measured. */
  serverCpuMs?: number;
  postgresCpuMs?: number;
}

/**
 * Drives `url` with `connections` concurrent connections for `seconds`, loopback only. With `serverPid`,
 * also the CPU time per request of that process and of Postgres (from /proc, steadier than req/s on a
 * shared machine).
 */
export async function load(
  name: string,
  url: string,
  seconds: number,
  connections: number,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
  serverPid?: number,
): Promise<LoadResult> {
  const before = serverPid ? { server: processCpuMs(serverPid), postgres: postgresCpuMs() } : undefined;
  const result = await autocannon({ url, connections, duration: seconds, ...init });
  const requests = result.requests.total;
  return {
    name,
    requests,
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    ...(before && serverPid
      ? {
          serverCpuMs: (processCpuMs(serverPid) - before.server) / requests,
          postgresCpuMs: (postgresCpuMs() - before.postgres) / requests,
        }
      : {}),
  };
}

export function report(results: LoadResult[]): void {
  const ms = (n?: number) => (n === undefined ? '—' : n.toFixed(2));
  console.log('\n| path | requests | req/s | p50 ms | p99 ms | errors | server CPU ms/req | Postgres CPU ms/req |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.requests} | ${r.throughput.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${ms(r.serverCpuMs)} | ${ms(r.postgresCpuMs)} |`,
    );
  }
}
