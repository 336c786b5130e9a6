import autocannon from 'autocannon';
import { childrenOf, postgresCpuMsSince, postgresTicks, processCpuMs } from './proc-usage';

export interface LoadResult {
  name: string;
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  /** Transport errors, timeouts, non-2xx answers and, for GraphQL, answers carrying `errors`. */
  errors: number;
  /** GraphQL error messages answered, with how often (a 200 with `errors` is still a failure). */
  graphqlErrors?: Map<string, number>;
  /** CPU milliseconds per request of the serving process and of Postgres, when measured. */
  serverCpuMs?: number;
  postgresCpuMs?: number;
  /** SQL statements Postgres ran per request (pg_stat_statements), when counted. */
  statements?: number;
}

/** What to measure beside latency: the serving process, and a count of statements run so far. */
export interface Measured {
  pid: number;
  /** Count the CPU of its child processes too (the workers of WEB_CONCURRENCY). */
  withChildren?: boolean;
  statements?: () => Promise<number | undefined>;
}

/**
 * Drives `url` with `connections` concurrent connections for `seconds`, loopback only. With `measured`,
 * also the CPU time per request of that process and of Postgres (from /proc, steadier than req/s on a
 * shared machine) and the statements per request.
 */
export async function load(
  name: string,
  url: string,
  seconds: number,
  connections: number,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
  measured?: Measured,
): Promise<LoadResult> {
  const before = measured && {
    server: serverCpu(measured),
    postgres: postgresTicks(),
    statements: await measured.statements?.(),
  };
  const graphqlErrors = new Map<string, number>();
  const countErrors = (_status: number, body: string) => {
    if (!body.startsWith('{"errors"') && !body.includes('},"errors":[')) return;
    const message = /"message":"((?:[^"\\]|\\.)*)"/.exec(body)?.[1] ?? body.slice(0, 120);
    graphqlErrors.set(message, (graphqlErrors.get(message) ?? 0) + 1);
  };
  const graphql = init.body?.startsWith('{"query"');
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(graphql ? { requests: [{ ...init, onResponse: countErrors }] } : init),
  });
  const requests = result.requests.total;
  const refused = [...graphqlErrors.values()].reduce((a, b) => a + b, 0);
  const statementsAfter = await measured?.statements?.();
  return {
    name,
    requests,
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts + refused,
    ...(refused ? { graphqlErrors } : {}),
    ...(before && measured
      ? {
          serverCpuMs: (serverCpu(measured) - before.server) / requests,
          postgresCpuMs: postgresCpuMsSince(before.postgres) / requests,
          // Less the two statements that read the count.
          statements:
            before.statements === undefined || statementsAfter === undefined
              ? undefined
              : (statementsAfter - before.statements - 2) / requests,
        }
      : {}),
  };
}

const serverCpu = ({ pid, withChildren }: Measured) =>
  processCpuMs(pid) + (withChildren ? childrenOf(pid).reduce((sum, child) => sum + processCpuMs(child), 0) : 0);

export function report(results: LoadResult[]): void {
  const ms = (n?: number) => (n === undefined ? '—' : n.toFixed(2));
  console.log(
    '\n| path | requests | req/s | p50 ms | p99 ms | errors | server CPU ms/req | Postgres CPU ms/req | statements/req |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.requests} | ${r.throughput.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${ms(r.serverCpuMs)} | ${ms(r.postgresCpuMs)} | ${r.statements === undefined ? '—' : r.statements.toFixed(1)} |`,
    );
  }
  for (const r of results)
    for (const [message, count] of r.graphqlErrors ?? []) console.log(`${r.name}: ${count} answered "${message}"`);
}
