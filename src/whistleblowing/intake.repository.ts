import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import type { IntakePurpose } from './intake-guard.service';

/** The intake guard's shared state: spent challenges and recent pressure per purpose, across all instances. */
@Injectable()
export class IntakeRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Marks a challenge spent, in a transaction of its own so the mark survives the request's failure;
   * false if it was spent already. Expired marks go on the way.
   */
  async spend(digest: Buffer): Promise<boolean> {
    const inserted: unknown[] = await this.db.autonomous(async (em) => {
      await em.query(`DELETE FROM spent_challenges WHERE expires_on < current_date`);
      return em.query(
        `INSERT INTO spent_challenges (digest, expires_on) VALUES ($1, current_date + 1) ON CONFLICT DO NOTHING RETURNING 1`,
        [digest],
      );
    });
    return inserted.length > 0;
  }

  /** One more event of `purpose` in the current 10-minute bucket; buckets older than an hour go. */
  async count(purpose: IntakePurpose, em?: EntityManager): Promise<void> {
    const manager = em ?? (await this.db.em());
    await manager.query(`DELETE FROM intake_pressure WHERE bucket < now() - interval '1 hour'`);
    await manager.query(
      `INSERT INTO intake_pressure (purpose, bucket, n)
       VALUES ($1, date_bin('10 minutes', now(), timestamptz '2000-01-01'), 1)
       ON CONFLICT (purpose, bucket) DO UPDATE SET n = intake_pressure.n + 1`,
      [purpose],
    );
  }

  /** Events of `purpose` in the last hour. */
  async lastHour(purpose: IntakePurpose): Promise<number> {
    const [{ n }]: { n: number }[] = await (
      await this.db.em()
    ).query(
      `SELECT coalesce(sum(n), 0)::int AS n FROM intake_pressure WHERE purpose = $1 AND bucket > now() - interval '1 hour'`,
      [purpose],
    );
    return n;
  }
}
