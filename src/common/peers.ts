import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** Tags the messages workers exchange through the cluster's primary (operations/cluster-primary.ts). */
export const PEER_CHANNEL = 'harbourwatch:peers';

/**
 * `tell`: to every other worker. `ask`: the same, and each answers once (`answer`); the primary sends
 * the asker the first answer that is not null, or null once every other worker has answered null.
 */
export type PeerMessage = { channel: typeof PEER_CHANNEL } & (
  | { kind: 'tell'; topic: string; payload: unknown }
  | { kind: 'ask'; id: string; topic: string; payload: unknown }
  | { kind: 'answer'; id: string; payload: unknown }
);

/** An answer that never comes (a primary gone) must not hold a request for long. */
const ASK_TIMEOUT_MS = 2_000;

/**
 * The other workers of this server under WEB_CONCURRENCY (same host, same port): for in-memory state
 * that must be the same in each, since any worker may get a user's next request. Outside a cluster it
 * sends nothing, receives nothing, and every question answers null.
 */
@Injectable()
export class Peers {
  private readonly listeners = new Map<string, (payload: unknown) => void>();
  private readonly answerers = new Map<string, (payload: unknown) => unknown>();
  private readonly waiting = new Map<string, (answer: unknown) => void>();
  private readonly inCluster = cluster.isWorker && typeof process.send === 'function';

  constructor() {
    if (!this.inCluster) return;
    process.on('message', (message: PeerMessage) => {
      if (message?.channel !== PEER_CHANNEL) return;
      if (message.kind === 'tell') this.listeners.get(message.topic)?.(message.payload);
      else if (message.kind === 'ask') {
        const payload = this.answerers.get(message.topic)?.(message.payload) ?? null;
        this.send({ channel: PEER_CHANNEL, kind: 'answer', id: message.id, payload });
      } else this.waiting.get(message.id)?.(message.payload);
    });
  }

  /** To every other worker (typed arrays travel as they are: the cluster uses advanced serialization). */
  tell(topic: string, payload: unknown): void {
    if (this.inCluster) this.send({ channel: PEER_CHANNEL, kind: 'tell', topic, payload });
  }

  on<T>(topic: string, listener: (payload: T) => void): void {
    this.listeners.set(topic, listener as (payload: unknown) => void);
  }

  /** The first answer of another worker that is not null; null when none has one. */
  ask<A>(topic: string, payload: unknown): Promise<A | null> {
    if (!this.inCluster) return Promise.resolve(null);
    const id = randomUUID();
    return new Promise<A | null>((resolve) => {
      const done = (answer: unknown) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve((answer ?? null) as A | null);
      };
      const timer = setTimeout(() => done(null), ASK_TIMEOUT_MS);
      this.waiting.set(id, done);
      this.send({ channel: PEER_CHANNEL, kind: 'ask', id, topic, payload });
    });
  }

  answer<Q, A>(topic: string, answerer: (payload: Q) => A | null): void {
    this.answerers.set(topic, answerer as (payload: unknown) => unknown);
  }

  private send(message: PeerMessage): void {
    process.send!(message);
  }
}
