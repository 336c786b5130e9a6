import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { DatabaseService } from '../database/database.service';

/** What @nestjs/throttler expects of its storage (the record type is not exported). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Throttles in Postgres: a request counted here counts on every worker and instance, so adding
 * instances does not multiply an allowance. Fixed windows; one round trip per counted request.
 */
@Injectable()
export class RequestCounts implements ThrottlerStorage {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Counts `amount` for `key` in the current `windowMs`: the count so far, when the window ends, and
   * the same window's count of `key` in scope `also` (another allowance of the same caller), in one trip.
   */
  async take(
    scope: string,
    key: string,
    windowMs: number,
    amount = 1,
    also = '',
  ): Promise<{ hits: number; resetsInMs: number; alsoHits: number }> {
    const [row] = await this.db.query<{ hits: number; resets_in_ms: number; also_hits: number }[]>(
      `SELECT hits, resets_in_ms, also_hits FROM request_count_take($1, $2, $3, $4, $5)`,
      [scope, key, windowMs, amount, also],
    );
    return { hits: row.hits, resetsInMs: row.resets_in_ms, alsoHits: row.also_hits };
  }

  /** @nestjs/throttler's storage: blocked until the window ends once over the limit. */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    _block: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    const { hits, resetsInMs } = await this.take(`throttle:${name}`, key, ttl);
    const seconds = Math.ceil(resetsInMs / 1000);
    return {
      totalHits: hits,
      timeToExpire: seconds,
      isBlocked: hits > limit,
      timeToBlockExpire: hits > limit ? seconds : 0,
    };
  }
}
