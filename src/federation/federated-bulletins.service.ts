import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../common/errors';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { Tlp } from '../common/tlp';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { abilityToSql } from '../sharing/ability-sql';
import { FederatedBulletin } from './dto/federation.types';

/** How the ability's FederatedBulletin fields map to SQL over `federated_bulletins f`. */
const COLUMNS = {
  audienceOrganisationIds: { array: 'f.audience_organisation_ids' },
  tlp: 'f.tlp',
};

interface Row {
  id: string;
  version: number;
  modified: Date;
  tlp: Tlp;
  organisation_id: string;
  organisation_name: string;
  instance_name: string;
  content: Record<string, unknown> & { indicators: { type: string; value: string }[] };
  retracted_at: Date | null;
}

/** Markings whose opening is recorded, as for our own bulletins. */
const AUDITED_TLPS = [Tlp.AMBER, Tlp.AMBER_STRICT];

/**
 * Peer instances' bulletins for the organisations here their origin addressed: the ability decides
 * (compiled to SQL for lists), row-level security backs it; nobody else learns one exists.
 */
@Injectable()
export class FederatedBulletinsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, first: number, after?: string): Promise<Connection<FederatedBulletin>> {
    const [modified, id] = after ? decodeCursor(after, 2) : [null, null];
    const rows = await this.rows(actor, first + 1, (qb) =>
      modified === null ? qb : qb.andWhere('(f.modified, f.id) < (:modified, :id)', { modified, id }),
    );
    return toConnection(rows.map(view), first, (b) => [b.modified.toISOString(), b.id]);
  }

  async get(actor: Actor, id: string): Promise<FederatedBulletin> {
    const [row] = await this.rows(actor, 1, (qb) => qb.andWhere('f.id = :id', { id }));
    if (!row) throw notFound('Bulletin');
    if (AUDITED_TLPS.includes(row.tlp))
      await this.audit.record({
        action: 'readFederatedBulletin',
        objectType: 'FederatedBulletin',
        objectId: row.id,
        details: { version: row.version, tlp: row.tlp },
      });
    return view(row);
  }

  private async rows(
    actor: Actor,
    limit: number,
    narrow: (qb: SelectQueryBuilder<ObjectLiteral>) => SelectQueryBuilder<ObjectLiteral>,
  ): Promise<Row[]> {
    const visible = abilityToSql(await this.abilities.abilityFor(actor), 'read', 'FederatedBulletin', COLUMNS);
    const qb = (await this.db.em())
      .createQueryBuilder()
      .select(['f.id AS id', 'f.version AS version', 'f.modified AS modified', 'f.tlp AS tlp', 'f.content AS content'])
      .addSelect('f.organisation_id', 'organisation_id')
      .addSelect('f.retracted_at', 'retracted_at')
      .addSelect('o.name', 'organisation_name')
      .addSelect('peer_name(f.origin_instance_id)', 'instance_name')
      .from('federated_bulletins', 'f')
      .innerJoin('organisations', 'o', 'o.id = f.organisation_id')
      .where(`(${visible.sql})`, visible.params);
    return narrow(qb).orderBy('f.modified', 'DESC').addOrderBy('f.id', 'DESC').limit(limit).getRawMany<Row>();
  }
}

const view = (r: Row): FederatedBulletin => ({
  id: r.id,
  version: r.version,
  modified: r.modified,
  tlp: r.tlp,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  instanceName: r.instance_name,
  title: String(r.content.title),
  summary: String(r.content.summary),
  body: String(r.content.body),
  category: String(r.content.category),
  severity: String(r.content.severity),
  validUntil: r.content.validUntil ? new Date(r.content.validUntil as string) : null,
  retractedAt: r.retracted_at,
  indicators: r.content.indicators ?? [],
});
