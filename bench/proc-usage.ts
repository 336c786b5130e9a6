import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks of 10 ms (CLK_TCK = 100 on every common kernel build). */
const TICK_MS = 10;

function ticks(pid: string | number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // exited meanwhile
  }
}

/** CPU milliseconds a process has used so far. */
export const processCpuMs = (pid: number): number => ticks(pid) * TICK_MS;

/**
 * CPU ticks of every Postgres process on this machine (the benchmark's cluster), by pid: compare two
 * readings with `postgresCpuMsSince`, so a backend or autovacuum worker that exits in between does
 * not take its past time out of the sum.
 */
export function postgresTicks(): Map<number, number> {
  const ticksByPid = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ticksByPid.set(Number(pid), ticks(pid));
    } catch {
      // exited meanwhile
    }
  }
  return ticksByPid;
}

/** CPU milliseconds Postgres used since `before` (what processes that exited meanwhile used is lost). */
export function postgresCpuMsSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, now] of postgresTicks()) total += now - (before.get(pid) ?? 0);
  return total * TICK_MS;
}

/** Live processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

/** A process's resident memory in MB. */
export function residentMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : 0;
}
