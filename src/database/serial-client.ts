import { Client } from 'pg';

/**
 * A pooled connection that sends its callers' queries one at a time, in order. A request's dataloaders
 * fire together on the request's one transaction; pg queues such queries itself today but deprecates
 * it (gone in pg 9), so they wait here instead. Callback and streaming calls pass through unchanged.
 */
export class SerialClient extends Client {
  private tail: Promise<unknown> = Promise.resolve();

  // pg's overloads are many; the promise form is told apart at run time, as pg itself does.
  query(...args: unknown[]): never {
    const send = super.query.bind(this) as (...a: unknown[]) => unknown;
    const first = args[0] as { submit?: unknown } | undefined;
    if (typeof args[args.length - 1] === 'function' || typeof first?.submit === 'function')
      return send(...args) as never;
    const result = this.tail.then(() => send(...args));
    this.tail = result.catch(() => undefined);
    return result as never;
  }
}
