import cluster, { Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/config';
import type { Serializable } from 'node:child_process';
import { announce, resolveDatabaseUrls } from '../bootstrap';
import { PEER_CHANNEL } from './peers';

/** A worker that dies this soon after starting is not restarted again at once (a crash loop). */
const RESTART_AFTER_MS = 1_000;

/**
 * WEB_CONCURRENCY > 1: this process starts the embedded database if there is one, then runs that many
 * workers (node's cluster: they share the port, connections are dealt round-robin). It relays the
 * workers' peer messages (operations/peers.ts) to the others, replaces a worker that dies, and on SIGINT
 * or SIGTERM stops them all before the database.
 */
export async function runPrimary(config: AppConfig, log: Logger): Promise<void> {
  const urls = await resolveDatabaseUrls(config, log);
  cluster.setupPrimary({ serialization: 'advanced' });
  const env = { DATABASE_URL: urls.app, DATABASE_OWNER_URL: urls.owner };
  let stopping = false;
  const started = new Map<Worker, number>();
  const spawn = () => started.set(cluster.fork(env), Date.now());

  cluster.on('message', (from: Worker, message: Serializable) => {
    if ((message as { channel?: unknown })?.channel !== PEER_CHANNEL) return;
    for (const worker of Object.values(cluster.workers ?? {})) if (worker && worker !== from) worker.send(message);
  });
  cluster.once('listening', () => announce(config, log));
  cluster.on('exit', (worker, code, signal) => {
    const since = started.get(worker) ?? 0;
    started.delete(worker);
    if (stopping) return;
    log.error(`Worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(spawn, Math.max(0, since + RESTART_AFTER_MS - Date.now()));
  });

  const stopped = new Promise<void>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        stopping = true;
        const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
        let left = workers.length;
        if (!left) done();
        for (const worker of workers) {
          worker.once('exit', () => --left === 0 && done());
          worker.process.kill(signal);
        }
      });
    }
  });
  urls.stopAfter?.(stopped);
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) spawn();
  await stopped;
}
