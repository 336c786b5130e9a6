import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/** The socket of a graphql-ws connection, as graphql-ws' `ws` integration passes it in `ctx.extra`. */
interface Closable {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Graceful shutdown, first steps: readiness turns false (load balancers stop routing here) and the
 * graphql-ws connections are closed with 1001 "Going Away", so clients reconnect to another instance.
 * Nest then stops the HTTP server (in-flight requests finish), the outbox finishes the jobs in hand,
 * and the database closes last.
 */
@Injectable()
export class ShutdownService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownService.name);
  private readonly sockets = new Set<Closable>();
  private stopping = false;

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** For graphql-ws' onConnect. */
  track(socket: Closable): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  beforeApplicationShutdown(signal?: string): void {
    this.stopping = true;
    if (signal) this.logger.log(`${signal}: draining (${this.sockets.size} real-time connection(s))`);
    for (const socket of this.sockets) socket.close(1001, 'Server shutting down');
  }
}
