import { createSourceEventStream, execute, ExecutionArgs, ExecutionResult } from 'graphql';
import type { Actor } from '../common/actor';
import { DatabaseService } from '../database/database.service';

type Results = AsyncIterableIterator<ExecutionResult>;

/** Events executed per turn of the event loop, at most, before pending I/O gets its turn. */
const PER_TURN = 50;
let executedThisTurn = 0;
/** Resolves as this turn's count is reset, in the next turn's check phase. */
let turnEnds: Promise<void> = Promise.resolve();

/**
 * One publish reaches every subscriber of this instance at once: executed in one go, a thousand events
 * would hold the event loop and every other answer (the publisher's own among them) would wait behind
 * them. Past PER_TURN in a turn, the rest wait for a later turn, after the I/O that came meanwhile.
 */
export async function takeTurn(): Promise<void> {
  while (executedThisTurn >= PER_TURN) await turnEnds;
  if (executedThisTurn++ === 0) {
    turnEnds = new Promise((resolve) =>
      setImmediate(() => {
        executedThisTurn = 0;
        resolve();
      }),
    );
  }
}

/**
 * graphql-ws's `subscribe`: graphql-js's own (the source stream, then one `execute` per event), except
 * that each event's fields resolve inside one request transaction as the subscriber. Field resolvers
 * of an event run outside any HTTP request, and would otherwise reach the database with no identity
 * (row-level security would show them nothing); wrapping the whole event here keeps interceptors off
 * the field resolvers of every HTTP request.
 */
export function subscribeAsSubscriber(db: DatabaseService) {
  return async (args: ExecutionArgs): Promise<Results | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream;
    const source = stream[Symbol.asyncIterator]();
    const subscriber = () => (args.contextValue as { req?: { user?: Actor } } | undefined)?.req?.user;
    const run = async (payload: unknown) => {
      await takeTurn();
      const actor = subscriber();
      const event = { ...args, rootValue: payload };
      return actor ? db.withRequest({ actor }, async () => execute(event)) : execute(event);
    };
    // A hand-written iterator, not an async generator: `return()` must reach the source at once, even
    // while it waits for the next event (a generator would queue it behind that wait).
    const close = async (): Promise<IteratorReturnResult<undefined>> => {
      await source.return?.();
      return { value: undefined, done: true };
    };
    const results: Results = {
      async next() {
        const next = await source.next();
        if (next.done) return { value: undefined, done: true };
        try {
          return { value: await run(next.value), done: false };
        } catch (err) {
          await close();
          throw err;
        }
      },
      return: close,
      throw: async (err: unknown) => {
        await close();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return results;
  };
}
