import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { AuthService } from '../auth/auth.service';
import { badInput, conflict, forbidden, notFound } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { abilityToSql, canOn } from '../sharing/ability-sql';
import { CreateOrganisationInput, OrganisationProfileInput, OrganisationsArgs } from './dto/organisation.inputs';
import { Organisation } from './organisation.entity';
import { OrganisationStatus, sectorOf } from '../common/organisation-type';
import { requestLoader } from '../common/request-loaders';

/** How the ability's fields map to SQL in this domain's list queries (docs/authorization/ability-sql.md shows the result). */
export const ORGANISATION_COLUMNS = { id: 'o.id', status: 'o.status', type: 'o.type', ports: { array: 'o.ports' } };

@Injectable()
export class OrganisationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
    private readonly auth: AuthService,
  ) {}

  async create(actor: Actor, input: CreateOrganisationInput): Promise<Organisation> {
    if (!(await this.abilities.abilityFor(actor)).can('create', 'Organisation')) throw forbidden();
    const em = await this.db.em();
    const ports = [...new Set(input.ports)];
    const { identifiers } = await em
      .createQueryBuilder()
      .insert()
      .into(Organisation)
      .values({ name: input.name.trim(), type: input.type, sector: sectorOf(input.type), ports })
      .orIgnore()
      .execute();
    const id = (identifiers[0] as { id?: string } | undefined)?.id;
    if (!id) throw conflict('An organisation with that name already exists');
    return em.findOneByOrFail(Organisation, { id });
  }

  /** The acting organisation's ports and contact point, kept by its admins. */
  async updateProfile(actor: Actor, input: OrganisationProfileInput): Promise<Organisation> {
    const id = actor.organisationId;
    if (!id || !canOn(await this.abilities.abilityFor(actor), 'update', 'Organisation', { id }))
      throw forbidden("Only organisation admins edit their organisation's profile");
    const days = input.bulletinRetentionDays;
    const { BULLETIN_RETENTION_MIN_DAYS: min, BULLETIN_RETENTION_MAX_DAYS: max } = this.config;
    if (days != null && (days < min || days > max))
      throw badInput(
        `Bulletins are kept between ${min} and ${max} days on this platform`,
        'input.bulletinRetentionDays',
      );
    const em = await this.db.em();
    await em.update(Organisation, id, {
      ports: [...new Set(input.ports)],
      contactName: input.contactName?.trim() || null,
      contactEmail: input.contactEmail?.trim() || null,
      contactPhone: input.contactPhone?.trim() || null,
      ...(input.requiresJustification != null && { requiresJustification: input.requiresJustification }),
      ...(days !== undefined && { bulletinRetentionDays: days }),
    });
    return em.findOneByOrFail(Organisation, { id });
  }

  /**
   * Platform administrators: whether the organisation has no member yet (its first admin is theirs to
   * invite); null for everyone else, who need not know. Batched per request (one query for a page).
   */
  async awaitingFirstAdmin(actor: Actor, id: string): Promise<boolean | null> {
    if (!actor.isPlatformAdmin) return null;
    return requestLoader<string, boolean>('organisation.awaitingFirstAdmin', async (ids) => {
      const rows: { id: string; empty: boolean }[] = await (
        await this.db.em()
      ).query(`SELECT id, NOT organisation_has_members(id) AS empty FROM unnest($1::uuid[]) AS id`, [ids]);
      const empty = new Map(rows.map((r) => [r.id, r.empty]));
      return ids.map((i) => empty.get(i) ?? false);
    }).load(id);
  }

  /** One organisation, or NOT_FOUND when it does not exist or the caller may not see it. */
  async get(actor: Actor, id: string, action: 'read' | 'suspend' = 'read'): Promise<Organisation> {
    const org = await (await this.db.em()).findOneBy(Organisation, { id });
    if (!org || !canOn(await this.abilities.abilityFor(actor), action, 'Organisation', org))
      throw notFound('Organisation');
    return org;
  }

  /** The directory, filtered by the ability in SQL and keyset-paginated by (name, id). */
  async list(actor: Actor, args: OrganisationsArgs): Promise<Connection<Organisation>> {
    const visible = abilityToSql(await this.abilities.abilityFor(actor), 'read', 'Organisation', ORGANISATION_COLUMNS);
    const qb = (await this.db.em())
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .where(visible.sql, visible.params)
      .orderBy('lower(o.name)', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .take(args.first + 1);
    if (args.filter?.type) qb.andWhere('o.type = :type', { type: args.filter.type });
    if (args.filter?.port) qb.andWhere(':port = ANY(o.ports)', { port: args.filter.port });
    if (args.after) {
      const [name, id] = decodeCursor(args.after, 2);
      qb.andWhere('(lower(o.name), o.id) > (:name, :id)', { name, id });
    }
    const rows = await qb.getMany();
    return toConnection(rows, args.first, (o) => [o.name.toLowerCase(), o.id]);
  }

  async suspend(actor: Actor, id: string, reason: string): Promise<Organisation> {
    const org = await this.get(actor, id, 'suspend');
    if (org.status === OrganisationStatus.SUSPENDED) throw conflict('The organisation is already suspended');
    const em = await this.db.em();
    await em.update(Organisation, id, {
      status: OrganisationStatus.SUSPENDED,
      suspensionReason: reason,
      suspendedAt: new Date(),
    });
    // Members' sessions end at once; their data stays (ARCHITECTURE.md §1).
    await this.auth.revoke(em, { organisationId: id }, 'organisation suspended');
    return em.findOneByOrFail(Organisation, { id });
  }

  async reinstate(actor: Actor, id: string): Promise<Organisation> {
    const org = await this.get(actor, id, 'suspend');
    if (org.status === OrganisationStatus.ACTIVE) throw conflict('The organisation is not suspended');
    const em = await this.db.em();
    await em.update(Organisation, id, { status: OrganisationStatus.ACTIVE, suspensionReason: null, suspendedAt: null });
    return em.findOneByOrFail(Organisation, { id });
  }
}
