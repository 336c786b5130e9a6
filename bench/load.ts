import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Drives `url` with `connections` concurrent connections for `seconds`, loopback only. */
export async function load(
  name: string,
  url: string,
  seconds: number,
  connections: number,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<LoadResult> {
  const result = await autocannon({ url, connections, duration: seconds, ...init });
  return {
    name,
    requests: result.requests.total,
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

export function report(results: LoadResult[]): void {
  console.log('\n| path | requests | req/s | p50 ms | p99 ms | errors |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.requests} | ${r.throughput.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
  }
}
