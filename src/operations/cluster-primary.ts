import cluster, { Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/config';
import type { Serializable } from 'node:child_process';
import { resolveDatabaseUrls } from '../database/open-database';
import { announce } from './announce';
import { PEER_CHANNEL, PeerMessage } from '../common/peers';

/** A worker that dies this soon after starting is not restarted again at once (a crash loop). */
const RESTART_AFTER_MS = 1_000;

/**
 * WEB_CONCURRENCY > 1: this process starts the embedded database if there is one, then runs that many
 * workers (node's cluster: they share the port, connections are dealt round-robin). It relays the
 * workers' peer messages (common/peers.ts) to the others, replaces a worker that dies, and on SIGINT
 * or SIGTERM stops them all before the database.
 */
export async function runPrimary(config: AppConfig, log: Logger): Promise<void> {
  const urls = await resolveDatabaseUrls(config, log);
  cluster.setupPrimary({ serialization: 'advanced' });
  const env = { DATABASE_URL: urls.app, DATABASE_OWNER_URL: urls.owner };
  let stopping = false;
  const started = new Map<Worker, number>();
  const spawn = () => started.set(cluster.fork(env), Date.now());

  const relay = peerRelay();
  cluster.on('message', (from: Worker, message: Serializable) => {
    if ((message as { channel?: unknown })?.channel === PEER_CHANNEL) relay.received(from, message as PeerMessage);
  });
  let listening = 0;
  cluster.on('listening', (worker) => {
    log.log(`Worker ${worker.process.pid} listening`);
    if (++listening === 1) announce(config, log);
  });
  cluster.on('exit', (worker, code, signal) => {
    const since = started.get(worker) ?? 0;
    started.delete(worker);
    relay.gone(worker);
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

/**
 * Tells go to every other worker. An ask goes to every other worker too, and the asker gets the first
 * answer that is not null, or null once each of them has answered or died.
 */
function peerRelay() {
  const asks = new Map<string, { asker: Worker; left: Set<Worker> }>();
  const others = (from: Worker) =>
    Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w !== from && w.isConnected());
  const settle = (id: string, payload: unknown) => {
    const ask = asks.get(id);
    if (!ask) return;
    asks.delete(id);
    if (ask.asker.isConnected()) ask.asker.send({ channel: PEER_CHANNEL, kind: 'answer', id, payload });
  };
  const answered = (id: string, from: Worker, payload: unknown) => {
    const ask = asks.get(id);
    if (!ask) return;
    ask.left.delete(from);
    if (payload !== null || ask.left.size === 0) settle(id, payload);
  };
  return {
    received(from: Worker, message: PeerMessage): void {
      if (message.kind === 'answer') return answered(message.id, from, message.payload);
      const to = others(from);
      if (message.kind === 'ask') {
        if (!to.length) return void from.send({ channel: PEER_CHANNEL, kind: 'answer', id: message.id, payload: null });
        asks.set(message.id, { asker: from, left: new Set(to) });
      }
      for (const worker of to) worker.send(message);
    },
    gone(worker: Worker): void {
      for (const [id, ask] of asks) {
        if (ask.asker === worker) asks.delete(id);
        else answered(id, worker, null);
      }
    },
  };
}
