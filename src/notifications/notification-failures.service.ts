import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { forbidden } from '../common/errors';
import { Connection, decodeCursor, PageArgs, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import { NotificationFailure } from './dto/notification-failure.types';

@Injectable()
export class NotificationFailuresService {
  constructor(
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
  ) {}

  /** E-mails to the organisation's members that failed after their last retry, newest first. */
  async list(actor: Actor, args: PageArgs): Promise<Connection<NotificationFailure>> {
    const organisationId = actor.organisationId;
    if (
      !organisationId ||
      !canOn(await this.abilities.abilityFor(actor), 'read', 'NotificationDelivery', { organisationId })
    ) {
      throw forbidden('Only organisation admins see failed notifications');
    }
    const params: unknown[] = [organisationId, args.first + 1];
    let after = '';
    if (args.after) {
      const [at, id] = decodeCursor(args.after, 2);
      params.push(at, id);
      after = 'AND (created_at, id) < ($3::timestamptz, $4::uuid)';
    }
    const rows: NotificationFailure[] = await (
      await this.db.em()
    ).query(
      `SELECT id, bulletin_id AS "bulletinId", version, user_id AS "userId", channel, attempts, last_error AS "lastError",
              created_at AS "createdAt"
         FROM notification_deliveries WHERE organisation_id = $1 AND status = 'FAILED' ${after}
        ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    );
    return toConnection(rows, args.first, (f) => [f.createdAt.toISOString(), f.id]);
  }
}
