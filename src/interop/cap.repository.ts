import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { Tlp } from '../common/tlp';
import { CapBulletin } from './cap';

type PublicRow = Omit<CapBulletin, 'authorName' | 'validUntil' | 'publishedAt' | 'updatedAt'> & {
  author_name: string;
  valid_until: Date | null;
  published_at: Date;
  updated_at: Date;
};

/** What the public CAP feed may show, for callers without a token. */
@Injectable()
export class CapRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Issued TLP:CLEAR bulletins, newest first (one when `id` is given), through a SECURITY DEFINER
   * function that returns nothing else: an anonymous caller has no row-level security identity.
   */
  async publicBulletins(id: string | null, limit: number): Promise<CapBulletin[]> {
    const rows: PublicRow[] = await (await this.db.em()).query(`SELECT * FROM public_bulletins($1, $2)`, [id, limit]);
    return rows.map(({ author_name, valid_until, published_at, updated_at, ...b }) => ({
      ...b,
      tlp: Tlp.CLEAR,
      authorName: author_name,
      validUntil: valid_until,
      publishedAt: published_at,
      updatedAt: updated_at,
    }));
  }
}
