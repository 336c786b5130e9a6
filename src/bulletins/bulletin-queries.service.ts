import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { In, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/actor';
import { OrganisationRef } from '../common/dto/organisation-ref.types';
import { forbidden, notFound } from '../common/errors';
import { decodeCursor, toConnection } from '../common/pagination';
import { organisationRefs } from '../organisations/organisation-refs';
import { groupBy, requestLoader } from '../common/request-loaders';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { abilityToSql, canOn } from '../sharing/ability-sql';
import { Tlp } from '../common/tlp';
import { Bulletin } from './bulletin.entity';
import { BulletinRepository } from './bulletin.repository';
import { BulletinIndicator } from './bulletin-indicator.entity';
import {
  BulletinOrder,
  BulletinStatus,
  InformationCredibility,
  Severity,
  severitiesFrom,
  SourceReliability,
} from './bulletin-enums';
import { BULLETIN_COLUMNS, EFFECTIVE_STATUS_SQL, VERSION_COLUMNS } from './bulletin-visibility';
import { BulletinFilter, BulletinsArgs } from './dto/bulletin.inputs';
import { AccessUser, Acknowledgement, BulletinConnection, BulletinVersion, IndicatorHit } from './dto/bulletin.types';
import { searchKeys } from './indicators';

const MAX_INDICATOR_HITS = 200;
/** A kept version's columns, as versionOf reads them. */
const VERSION_SELECT = [
  'v.bulletin_id AS bulletin_id',
  'v.version AS version',
  'v.content AS content',
  'v.change_note AS change_note',
  'v.published_at AS published_at',
];
const AUDITED_READS = [Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED];
/** Markings an organisation may ask a justification for before they are opened. */
const JUSTIFIED_READS = [Tlp.AMBER_STRICT, Tlp.RED];

const SEVERITY_RANK = `array_position(ARRAY['EXTREME','SEVERE','MODERATE','MINOR'], b.severity)`;
const SEVERITY_RANKS = [Severity.EXTREME, Severity.SEVERE, Severity.MODERATE, Severity.MINOR];
/** No deadline sorts after every deadline. */
const DUE = `COALESCE(b.response_due_at, 'infinity')`;
const listed = (b: Bulletin) => b.listedAt.toISOString();

/**
 * Each order of the feed: its sort keys (the id last, so that every key is unique) and the keyset
 * condition of the rows after a cursor made of the same keys (k0, k1, ...).
 */
const ORDERS: Record<
  BulletinOrder,
  { by: [string, 'ASC' | 'DESC'][]; after: string; keys: (b: Bulletin) => (string | number)[] }
> = {
  NEWEST: {
    by: [
      ['b.listed_at', 'DESC'],
      ['b.id', 'DESC'],
    ],
    after: '(b.listed_at, b.id) < (:k0::timestamptz, :k1::uuid)',
    keys: (b) => [listed(b), b.id],
  },
  OLDEST: {
    by: [
      ['b.listed_at', 'ASC'],
      ['b.id', 'ASC'],
    ],
    after: '(b.listed_at, b.id) > (:k0::timestamptz, :k1::uuid)',
    keys: (b) => [listed(b), b.id],
  },
  SEVERITY: {
    by: [
      [SEVERITY_RANK, 'ASC'],
      ['b.listed_at', 'DESC'],
      ['b.id', 'DESC'],
    ],
    after: `(${SEVERITY_RANK} > :k0::int OR (${SEVERITY_RANK} = :k0::int AND (b.listed_at, b.id) < (:k1::timestamptz, :k2::uuid)))`,
    keys: (b) => [SEVERITY_RANKS.indexOf(b.severity) + 1, listed(b), b.id],
  },
  RESPONSE_DUE: {
    by: [
      [DUE, 'ASC'],
      ['b.id', 'ASC'],
    ],
    after: `(${DUE}, b.id) > (:k0::timestamptz, :k1::uuid)`,
    keys: (b) => [b.responseDueAt?.toISOString() ?? 'infinity', b.id],
  },
};

/** Reading bulletins: every path filters with the caller's ability, compiled to SQL. */
@Injectable()
export class BulletinQueriesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly bulletins: BulletinRepository,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditService,
  ) {}

  /** A bulletin the caller may see, or NOT_FOUND exactly as for an id that does not exist. */
  async get(actor: Actor, id: string): Promise<Bulletin> {
    const bulletin = await (await this.db.em()).findOneBy(Bulletin, { id });
    if (!bulletin || !canOn(await this.abilities.abilityFor(actor), 'read', 'Bulletin', bulletin))
      throw notFound('Bulletin');
    return bulletin;
  }

  /** `get` of several bulletins in one query: NOT_FOUND when any one is unknown or not the caller's to see. */
  async getEach(actor: Actor, ids: string[]): Promise<Bulletin[]> {
    const bulletins = await (await this.db.em()).findBy(Bulletin, { id: In(ids) });
    const ability = await this.abilities.abilityFor(actor);
    const readable = bulletins.filter((b) => canOn(ability, 'read', 'Bulletin', b));
    if (readable.length !== new Set(ids).size) throw notFound('Bulletin');
    return readable;
  }

  /**
   * `get` for the `bulletin` query, audited whatever the marking: AMBER and above is a sensitive read,
   * and every opening tells the author organisation that its bulletin reached someone (BulletinReachService).
   * An organisation may ask its members why they open AMBER+STRICT and RED (LED art. 25): the answer
   * goes into the event; without one, a reader (never anyone else) is told to give it.
   */
  async read(actor: Actor, id: string, justification?: string): Promise<Bulletin> {
    const bulletin = await this.get(actor, id);
    if (!justification && JUSTIFIED_READS.includes(bulletin.tlp) && bulletin.authorUserId !== actor.userId) {
      const [org]: { requires_justification: boolean }[] = actor.organisationId
        ? await (
            await this.db.em()
          ).query(`SELECT requires_justification FROM organisations WHERE id = $1`, [actor.organisationId])
        : [];
      if (org?.requires_justification)
        throw forbidden('Your organisation asks why you open this bulletin: give a justification', {
          justificationRequired: true,
        });
    }
    await this.recordEach('readBulletin', [bulletin], justification);
    return bulletin;
  }

  /**
   * One event per bulletin, in its author organisation's trail: opened (`readBulletin`) or exported
   * (`exportStix`, `exportCap`). A feed polled every minute exports the same versions again and again:
   * an export is recorded once per person and version.
   */
  async recordEach(
    action: 'readBulletin' | 'acknowledgeBulletin' | 'exportStix' | 'exportCap' | 'exportMisp',
    bulletins: Bulletin[],
    justification?: string,
  ): Promise<void> {
    const before =
      (action === 'exportStix' || action === 'exportCap' || action === 'exportMisp') && bulletins.length
        ? await this.bulletins.exportedBefore(action, bulletins)
        : new Set<string>();
    for (const b of bulletins.filter((x) => !before.has(`${x.id}/${x.version}`))) {
      await this.audit.record({
        action,
        objectType: 'Bulletin',
        objectId: b.id,
        subjectOrganisationId: b.authorOrganisationId,
        details: { tlp: b.tlp, version: b.version, ...(justification && { justification }) },
      });
    }
  }

  /**
   * A list or search that returned AMBER and above is a sensitive read too: one event per author
   * organisation (each sees what was read of its own bulletins), naming the bulletins, not one per row.
   */
  async recordListed(action: string, bulletins: Bulletin[]): Promise<void> {
    const byAuthor = new Map<string, Bulletin[]>();
    for (const b of bulletins.filter((x) => AUDITED_READS.includes(x.tlp))) {
      byAuthor.set(b.authorOrganisationId, [...(byAuthor.get(b.authorOrganisationId) ?? []), b]);
    }
    for (const [author, read] of byAuthor) {
      await this.audit.record({
        action,
        objectType: 'Bulletin',
        subjectOrganisationId: author,
        details: { bulletins: read.map((b) => ({ id: b.id, tlp: b.tlp, version: b.version })) },
      });
    }
  }

  /** Visible bulletins, newest first, keyset-paginated; the total is counted only if asked for. */
  async list(actor: Actor, args: BulletinsArgs): Promise<BulletinConnection> {
    const base = await this.visible(actor);
    if (args.filter) this.applyFilter(base, args.filter, actor);
    const order = ORDERS[args.order ?? BulletinOrder.NEWEST];
    const page = base.clone().limit(args.first + 1);
    for (const [expression, direction] of order.by) page.addOrderBy(expression, direction);
    if (args.after) {
      const keys = decodeCursor(args.after, order.by.length);
      page.andWhere(order.after, Object.fromEntries(keys.map((k, i) => [`k${i}`, k])));
    }
    // The author's name comes with the page, so authorOrganisation costs no extra query.
    const { entities: rows, raw } = await page
      .leftJoin('organisations', 'author', 'author.id = b.organisation_id')
      .addSelect('author.name', 'author_name')
      .getRawAndEntities();
    const names = new Map(raw.map((r: { b_id: string; author_name: string }) => [r.b_id, r.author_name]));
    for (const b of rows)
      this.organisationRefs().prime(b.authorOrganisationId, { id: b.authorOrganisationId, name: names.get(b.id)! });
    await this.recordListed('listBulletins', rows.slice(0, args.first));
    return {
      ...toConnection(rows, args.first, order.keys),
      count: () => base.getCount(),
    };
  }

  /**
   * Issued bulletins the caller may read that changed (published, revised, retracted) after `since`,
   * most recent first, optionally only of some markings: the feeds of the export paths.
   */
  async issuedSince(actor: Actor, since: Date | null, limit: number, tlps?: Tlp[]): Promise<Bulletin[]> {
    const qb = (await this.visible(actor)).andWhere(`b.status IN ('PUBLISHED', 'RETRACTED')`);
    if (since) qb.andWhere('b.updated_at > :since', { since });
    if (tlps) qb.andWhere('b.tlp = ANY(:tlps)', { tlps });
    return qb.orderBy('b.updated_at', 'DESC').addOrderBy('b.id', 'DESC').limit(limit).getMany();
  }

  /** "Has anything I may see mentioned CSQU3054383?" over normalised indicator values, of any type (searchKeys). */
  async searchIndicators(actor: Actor, value: string): Promise<IndicatorHit[]> {
    const keys = searchKeys(value);
    if (!keys.length) return [];
    const qb = (await this.visible(actor))
      .innerJoinAndMapMany('b.hits', BulletinIndicator, 'i', 'i.bulletin_id = b.id AND i.search_key = ANY(:keys)', {
        keys,
      })
      .orderBy('b.listed_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(MAX_INDICATOR_HITS);
    const bulletins = (await qb.getMany()) as (Bulletin & { hits: BulletinIndicator[] })[];
    await this.recordListed('searchIndicators', bulletins);
    return bulletins.flatMap((b) => b.hits.map((indicator) => ({ bulletin: b, indicator })));
  }

  indicators(bulletinId: string): Promise<BulletinIndicator[]> {
    return requestLoader<string, BulletinIndicator[]>('bulletin.indicators', async (ids) => {
      const rows = await (
        await this.db.em()
      )
        .getRepository(BulletinIndicator)
        .createQueryBuilder('i')
        .where('i.bulletin_id = ANY(:ids)', { ids })
        .orderBy('i.id')
        .getMany();
      return groupBy(ids, rows, (r) => r.bulletinId);
    }).load(bulletinId);
  }

  /**
   * The published versions of a bulletin the caller may see, each authorised by its own marking and
   * audience: revising AMBER_STRICT to GREEN does not show version 1 to every member.
   */
  versions(actor: Actor, bulletinId: string): Promise<BulletinVersion[]> {
    return requestLoader<string, BulletinVersion[]>('bulletin.versions', async (ids) => {
      const visible = abilityToSql(await this.abilities.abilityFor(actor), 'read', 'Bulletin', VERSION_COLUMNS);
      const rows: {
        bulletin_id: string;
        version: number;
        content: Record<string, unknown>;
        change_note: string | null;
        published_at: Date;
      }[] = await (
        await this.db.em()
      )
        .createQueryBuilder()
        .select(VERSION_SELECT)
        .from('bulletin_versions', 'v')
        .innerJoin('bulletins', 'b', 'b.id = v.bulletin_id')
        .where('v.bulletin_id = ANY(:ids)', { ids })
        .andWhere(visible.sql, visible.params)
        .orderBy('v.version')
        .getRawMany();
      return groupBy(ids, rows, (r) => r.bulletin_id).map((versions) => versions.map(versionOf));
    }).load(bulletinId);
  }

  /**
   * Issued versions the caller may read (each by its own marking), in the order they were added to a
   * feed (commit order, migration FeedOrder): published, or, for a retracted bulletin's last version,
   * retracted (its report is revoked then; migration RetractionInFeed). Keyset-paged on (added_at,
   * bulletin, version), along its index; `added` is kept as text to the microsecond.
   */
  async versionFeed(
    actor: Actor,
    page: {
      tlp?: Tlp;
      /** From this microsecond on (an object's own slot decides within it: TaxiiController). */
      addedFrom?: string;
      /** After this version, or from it on when `inclusive` (a page ended inside it). */
      after?: { added: string; bulletinId: string; version: number; inclusive?: boolean };
      limit: number;
    },
  ): Promise<FeedVersion[]> {
    const visible = abilityToSql(await this.abilities.abilityFor(actor), 'read', 'Bulletin', VERSION_COLUMNS);
    const qb = (await this.db.em())
      .createQueryBuilder()
      .select([
        ...VERSION_SELECT,
        'b.status AS status',
        'b.version AS last_version',
        'b.retracted_at AS retracted_at',
        'b.organisation_id AS author_id',
        'o.name AS author_name',
        `to_char(v.added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS added`,
      ])
      .from('bulletin_versions', 'v')
      .innerJoin('bulletins', 'b', 'b.id = v.bulletin_id')
      .innerJoin('organisations', 'o', 'o.id = b.organisation_id')
      .where(visible.sql, visible.params)
      .andWhere(`b.status IN ('PUBLISHED', 'RETRACTED')`);
    if (page.tlp) qb.andWhere('v.tlp = :tlp', { tlp: page.tlp });
    if (page.addedFrom) qb.andWhere(`v.added_at >= :addedFrom::timestamptz`, { addedFrom: page.addedFrom });
    if (page.after) {
      qb.andWhere(
        `(v.added_at, v.bulletin_id, v.version) ${page.after.inclusive ? '>=' : '>'} (:afterAdded::timestamptz, :afterId::uuid, :afterVersion::int)`,
        {
          afterAdded: page.after.added,
          afterId: page.after.bulletinId,
          afterVersion: page.after.version,
        },
      );
    }
    return qb.orderBy('v.added_at').addOrderBy('v.bulletin_id').addOrderBy('v.version').limit(page.limit).getRawMany();
  }

  /**
   * Of the authors of `firsts` (each with the first of its versions a page holds), those with a version
   * the caller may read in the same feed earlier than that one: their identity object was added to the
   * caller's collection before, so the page must not repeat it. Along (organisation_id, added_at): the
   * scan of an author stops at its first readable version.
   */
  async authorsSeenBefore(
    actor: Actor,
    tlp: Tlp | undefined,
    firsts: { author: string; added: string; bulletinId: string; version: number }[],
  ): Promise<Set<string>> {
    if (!firsts.length) return new Set();
    const visible = abilityToSql(await this.abilities.abilityFor(actor), 'read', 'Bulletin', VERSION_COLUMNS);
    const rows: { author: string }[] = await (
      await this.db.em()
    )
      .createQueryBuilder()
      .select('f.author', 'author')
      .from(
        `(SELECT * FROM unnest(CAST(:authors AS uuid[]), CAST(:addeds AS timestamptz[]), CAST(:bulletinIds AS uuid[]), CAST(:versions AS int[])) AS f(author, added, bulletin_id, version))`,
        'f',
      )
      .where(
        `EXISTS (SELECT 1 FROM bulletin_versions v INNER JOIN bulletins b ON b.id = v.bulletin_id
          WHERE v.organisation_id = f.author AND v.added_at <= f.added
            AND (v.added_at, v.bulletin_id, v.version) < (f.added, f.bulletin_id, f.version)
            AND b.status IN ('PUBLISHED', 'RETRACTED') ${tlp ? 'AND v.tlp = :tlp' : ''} AND ${visible.sql})`,
        {
          ...visible.params,
          tlp,
          authors: firsts.map((f) => f.author),
          addeds: firsts.map((f) => f.added),
          bulletinIds: firsts.map((f) => f.bulletinId),
          versions: firsts.map((f) => f.version),
        },
      )
      .getRawMany();
    return new Set(rows.map((r) => r.author));
  }

  /** The `bulletin` query opened by a person: the version they have now read. */
  async markRead(actor: Actor, bulletin: Bulletin): Promise<void> {
    await this.bulletins.markRead(actor.userId, bulletin.id, bulletin.version);
  }

  /** The feed's "mark as read" on a selection: each at its current version, as if opened (not audited as a read). */
  async markEachRead(actor: Actor, ids: string[]): Promise<Bulletin[]> {
    const bulletins = await this.getEach(actor, ids);
    for (const b of bulletins) await this.markRead(actor, b);
    return bulletins;
  }

  /** The version of the bulletin the caller last opened, or null if never. */
  async readVersion(bulletinId: string): Promise<number | null> {
    return requestLoader<string, number | null>('bulletin.reads', async (ids) => {
      const versions = new Map((await this.bulletins.reads(ids)).map((r) => [r.bulletinId, r.version]));
      return ids.map((id) => versions.get(id) ?? null);
    }).load(bulletinId);
  }

  /**
   * Whom a TLP:RED bulletin can name in another organisation: its analysts and admins by name. NOT_FOUND
   * for an organisation that is unknown, suspended or has no one to name. Audited: it lists people.
   */
  async recipientDirectory(organisationId: string): Promise<AccessUser[]> {
    const people = await this.bulletins.recipientDirectory(organisationId);
    if (!people.length) throw notFound('Organisation');
    await this.audit.record({
      action: 'listRecipientDirectory',
      objectType: 'Organisation',
      objectId: organisationId,
      subjectOrganisationId: organisationId,
    });
    return people;
  }

  /** Every acknowledgement for the author organisation; otherwise the caller's own organisation's only. */
  async acknowledgements(actor: Actor, bulletin: Bulletin): Promise<Acknowledgement[]> {
    const all = await requestLoader<string, (Acknowledgement & { organisationId: string })[]>(
      'bulletin.acks',
      async (ids) => {
        const rows = await this.bulletins.acknowledgements(ids);
        return groupBy(ids, rows, (r) => r.bulletin_id).map((acks) =>
          acks.map((r) => ({
            organisationId: r.organisation_id,
            organisation: { id: r.organisation_id, name: r.name },
            note: r.note,
            acknowledgedAt: r.created_at,
          })),
        );
      },
    ).load(bulletin.id);
    return (await this.explains(actor, bulletin)) ? all : all.filter((a) => a.organisationId === actor.organisationId);
  }

  /** May the caller see who a bulletin was shared with (the author organisation's analysts and admins)? */
  async explains(actor: Actor, bulletin: Bulletin): Promise<boolean> {
    return canOn(await this.abilities.abilityFor(actor), 'explain', 'Bulletin', bulletin);
  }

  /** May the caller see whom a bulletin names: its author organisation, or any reader when the author shows recipients. */
  async showsRecipients(actor: Actor, bulletin: Bulletin): Promise<boolean> {
    return bulletin.showRecipients || this.explains(actor, bulletin);
  }

  authorOrganisation(organisationId: string): Promise<OrganisationRef> {
    return this.organisationRefs().load(organisationId);
  }

  private organisationRefs() {
    return organisationRefs(this.db);
  }

  /** The bulletins the caller may read, as a query to refine: the ability in SQL. */
  async visible(actor: Actor): Promise<SelectQueryBuilder<Bulletin>> {
    const visible = abilityToSql(await this.abilities.abilityFor(actor), 'read', 'Bulletin', BULLETIN_COLUMNS);
    return (await this.db.em()).getRepository(Bulletin).createQueryBuilder('b').where(visible.sql, visible.params);
  }

  private applyFilter(qb: SelectQueryBuilder<Bulletin>, f: BulletinFilter, actor: Actor): void {
    if (f.categories?.length) qb.andWhere('b.category = ANY(:categories)', { categories: f.categories });
    if (f.minSeverity) qb.andWhere('b.severity = ANY(:severities)', { severities: severitiesFrom(f.minSeverity) });
    if (f.ports?.length) qb.andWhere('b.ports && :ports', { ports: f.ports });
    if (f.tlp?.length) qb.andWhere('b.tlp = ANY(:tlps)', { tlps: f.tlp });
    if (f.authorOrganisationId) qb.andWhere('b.organisation_id = :author', { author: f.authorOrganisationId });
    if (f.status) qb.andWhere(`${EFFECTIVE_STATUS_SQL} = :status`, { status: f.status satisfies BulletinStatus });
    if (f.publishedAfter) qb.andWhere('b.published_at > :after', { after: f.publishedAfter });
    if (f.sourceReliability?.length)
      qb.andWhere('b.source_reliability = ANY(:reliability)', { reliability: f.sourceReliability });
    if (f.informationCredibility?.length)
      qb.andWhere('b.information_credibility = ANY(:credibility)', { credibility: f.informationCredibility });
    if (f.awaitingResponse !== undefined) {
      const awaiting = `EXISTS (SELECT 1 FROM bulletin_responses r WHERE r.bulletin_id = b.id AND r.organisation_id = :responder
          AND r.due_at IS NOT NULL AND r.responded_at IS NULL)`;
      qb.andWhere(f.awaitingResponse ? awaiting : `NOT ${awaiting}`, { responder: actor.organisationId });
    }
    if (f.text) {
      qb.andWhere(
        `(b.search @@ websearch_to_tsquery('simple', :text)
          OR EXISTS (SELECT 1 FROM bulletin_indicators fi WHERE fi.bulletin_id = b.id AND fi.search_key = ANY(:textKeys)))`,
        { text: f.text, textKeys: searchKeys(f.text) },
      );
    }
  }
}

/** A version in a feed's order, with its bulletin's state and author (versionFeed). */
export interface FeedVersion {
  bulletin_id: string;
  version: number;
  content: Record<string, unknown>;
  change_note: string | null;
  published_at: Date;
  status: string;
  last_version: number;
  retracted_at: Date | null;
  author_id: string;
  author_name: string;
  added: string;
}

/** A kept version (`bulletin_versions` row) as GraphQL and the exports read it. */
export function versionOf(r: {
  version: number;
  content: Record<string, unknown>;
  change_note: string | null;
  published_at: Date;
}): BulletinVersion {
  return {
    ...(r.content as unknown as BulletinVersion),
    // Versions kept before grading existed read as "cannot be judged".
    sourceReliability: (r.content.sourceReliability as SourceReliability) ?? SourceReliability.F,
    informationCredibility:
      (r.content.informationCredibility as InformationCredibility) ?? InformationCredibility.CANNOT_BE_JUDGED,
    validUntil: r.content.validUntil ? new Date(r.content.validUntil as string) : null,
    version: r.version,
    changeNote: r.change_note,
    publishedAt: r.published_at,
  };
}
