import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';

@Injectable()
export class SavedViewsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The display names of views' owners, in the order of `userIds`. */
  async ownerNames(userIds: readonly string[]): Promise<string[]> {
    const rows = await (
      await this.db.em()
    ).query<{ id: string; display_name: string }[]>(`SELECT id, display_name FROM users WHERE id = ANY($1)`, [userIds]);
    const names = new Map(rows.map((r) => [r.id, r.display_name]));
    return userIds.map((id) => names.get(id) ?? '');
  }
}
