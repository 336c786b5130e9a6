import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { forbidden } from '../common/errors';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { abilityToSql } from '../sharing/ability-sql';
import { AuditEventsArgs } from './dto/audit-trail.inputs';
import { AuditEvent } from './dto/audit-trail.types';

/** How the ability's fields map to SQL in this domain's list queries (docs/authorization/ability-sql.md shows the result). */
export const AUDIT_COLUMNS = {
  actorOrganisationId: 'e.actor_organisation_id',
  subjectOrganisationId: 'e.subject_organisation_id',
};

@Injectable()
export class AuditQueriesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
  ) {}

  async list(actor: Actor, args: AuditEventsArgs): Promise<Connection<AuditEvent>> {
    const ability = await this.abilities.abilityFor(actor);
    if (!ability.can('read', 'AuditEvent'))
      throw forbidden('Only organisation admins (and platform administrators) read the audit trail');
    const visible = abilityToSql(ability, 'read', 'AuditEvent', AUDIT_COLUMNS);
    const qb = (await this.db.em())
      .createQueryBuilder()
      .select([
        'e.seq::text AS seq',
        'e.chain AS chain',
        'e.chain_seq::text AS "chainSeq"',
        'e.at AS at',
        'e.actor_user_id AS "actorUserId"',
        'e.actor_organisation_id AS "actorOrganisationId"',
        'e.subject_organisation_id AS "subjectOrganisationId"',
        'e.action AS action',
        'e.object_type AS "objectType"',
        'e.object_id AS "objectId"',
        'e.details AS details',
        'e.prev_hash AS "prevHash"',
        'e.hash AS hash',
      ])
      .from('audit_events', 'e')
      .where(visible.sql, visible.params)
      .orderBy('e.seq', 'DESC')
      .limit(args.first + 1);
    const f = args.filter ?? {};
    if (f.actorUserId) qb.andWhere('e.actor_user_id = :actorUserId', { actorUserId: f.actorUserId });
    if (f.action) qb.andWhere('e.action = :action', { action: f.action });
    if (f.objectType) qb.andWhere('e.object_type = :objectType', { objectType: f.objectType });
    if (f.objectId) qb.andWhere('e.object_id = :objectId', { objectId: f.objectId });
    if (f.from) qb.andWhere('e.at >= :from', { from: f.from });
    if (f.to) qb.andWhere('e.at < :to', { to: f.to });
    if (args.after) {
      const [seq] = decodeCursor(args.after, 1);
      qb.andWhere('e.seq < :seq', { seq });
    }
    return toConnection(await qb.getRawMany<AuditEvent>(), args.first, (e) => [e.seq]);
  }
}
