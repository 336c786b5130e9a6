import cluster from 'node:cluster';
import { Injectable } from '@nestjs/common';

/** Tags the messages workers exchange through the cluster's primary (operations/cluster-primary.ts). */
export const PEER_CHANNEL = 'harbourwatch:peers';

interface PeerMessage {
  channel: typeof PEER_CHANNEL;
  topic: string;
  payload: unknown;
}

/**
 * The other workers of this server under WEB_CONCURRENCY (same host, same port): for in-memory state
 * that must be the same in each, since any worker may get a user's next request. Outside a cluster it
 * sends nothing and receives nothing.
 */
@Injectable()
export class Peers {
  private readonly handlers = new Map<string, (payload: unknown) => void>();
  private readonly inCluster = cluster.isWorker && typeof process.send === 'function';

  constructor() {
    if (!this.inCluster) return;
    process.on('message', (message: PeerMessage) => {
      if (message?.channel === PEER_CHANNEL) this.handlers.get(message.topic)?.(message.payload);
    });
  }

  /** To every other worker (typed arrays travel as they are: the cluster uses advanced serialization). */
  tell(topic: string, payload: unknown): void {
    if (this.inCluster) process.send!({ channel: PEER_CHANNEL, topic, payload } satisfies PeerMessage);
  }

  on<T>(topic: string, handler: (payload: T) => void): void {
    this.handlers.set(topic, handler as (payload: unknown) => void);
  }
}
