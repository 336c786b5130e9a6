import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  HttpException,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Actor } from '../common/actor';
import { CurrentActor, MachineClients } from '../common/decorators';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinQueriesService, FeedVersion, versionOf } from '../bulletins/bulletin-queries.service';
import { badInput, forbidden, HTTP_STATUS, notFound, refusalHoldMs, setRetryAfter } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { AuditService } from '../audit/audit.service';
import { ExportAllowance } from '../auth/export-allowance';
import { MAX_BODY_BYTES } from '../common/request-limits';
import { illFormed } from '../common/well-formed-text.pipe';
import { AbilityFactory } from '../sharing/ability.factory';
import { Checks, ChecksEach } from '../common/checks';
import { StixImportService } from './stix-import.service';
import { StatusDetail, TaxiiStatus } from './taxii-status.entity';
import { TaxiiStatusRepository } from './taxii-status.repository';
import { versionObjects } from './stix-export';
import {
  addedAfterPoint,
  collectionResource,
  collectionsFor,
  comparePositions,
  dateAdded,
  decodeCursor,
  encodeCursor,
  FeedCursor,
  IDENTITY_SLOT,
  indicatorSlot,
  REPORT_SLOT,
  STIX_MEDIA_TYPE,
  TAXII_MEDIA_TYPE,
  TAXII_PAGE_LIMIT,
  TaxiiCollection,
  TIMESTAMP,
} from './taxii';

type StixObject = { id: string; type: string; modified?: string; created?: string } & Record<string, unknown>;
interface Entry {
  object: StixObject;
  added: string;
}
interface Filters {
  addedAfter?: string;
  limit: number;
  next?: FeedCursor;
  types?: string[];
  ids?: string[];
  versions?: string[];
}

/** Versions read per database round trip while filling a page, at most (unfiltered pages read fewer: `nextBatch`). */
const BATCH = 500;
/** The longest a page waits for its organisation's share of heavy-work time before it is refused. */
const MAX_PACE_MS = 10_000;
/** A page scans at most this many versions; a filter that matches little answers "more" and the client goes on. */
const MAX_SCAN = 20 * BATCH;
const REALM = 'Harbourwatch TAXII';
const WHO = 'Members and machine clients read, over TAXII, the bulletins they may see';

/** TAXII error messages (TAXII 2.1 §3.6.1) for every refusal on these routes. */
@Catch(HttpException, GraphQLError)
class TaxiiErrors implements ExceptionFilter {
  catch(error: HttpException | GraphQLError, host: ArgumentsHost): void {
    const status =
      error instanceof GraphQLError ? (HTTP_STATUS[String(error.extensions.code)] ?? 500) : error.getStatus();
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof GraphQLError) setRetryAfter(res, error);
    // RFC 9110 §11.6.1: a 401 names how to authenticate: the key as a bearer token, or as the Basic password.
    if (status === 401)
      res.setHeader('WWW-Authenticate', [`Bearer realm="${REALM}"`, `Basic realm="${REALM}", charset="UTF-8"`]);
    setTimeout(() => answer(res, status, { title: error.message, http_status: String(status) }), refusalHoldMs(error));
  }
}

/**
 * TAXII 2.1 (OASIS), read side: discovery, one API root, collections ("bulletins visible to you" and
 * one per marking the caller may read), objects with added_after, match[type|id|version] and paging
 * by `next`, the manifest, an object and its versions. Every object comes from the STIX export of a
 * version the caller may read by that version's own marking (the same ability as GraphQL, compiled to
 * SQL, row-level security underneath); a machine client reads up to its own marking and never RED.
 */
@MachineClients()
@UseFilters(TaxiiErrors)
@Controller('taxii2')
export class TaxiiController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly queries: BulletinQueriesService,
    private readonly abilities: AbilityFactory,
    private readonly stix: StixImportService,
    private readonly statuses: TaxiiStatusRepository,
    private readonly audit: AuditService,
    private readonly allowance: ExportAllowance,
  ) {}

  @ChecksEach('read', 'Bulletin', WHO)
  @Get()
  discovery(@Req() req: Request, @Res() res: Response): void {
    const root = `${this.config.publicUrl}/taxii2/api/`;
    send(req, res, {
      title: 'Harbourwatch',
      description: 'Port security bulletins of the European Ports Alliance members, as STIX 2.1',
      default: root,
      api_roots: [root],
    });
  }

  @ChecksEach('read', 'Bulletin', WHO)
  @Get('api')
  apiRoot(@Req() req: Request, @Res() res: Response): void {
    send(req, res, { title: 'Bulletins', versions: [TAXII_MEDIA_TYPE], max_content_length: MAX_BODY_BYTES });
  }

  @ChecksEach('read', 'Bulletin', WHO)
  @Get('api/collections')
  collections(@CurrentActor() actor: Actor, @Req() req: Request, @Res() res: Response): void {
    send(req, res, { collections: this.collectionsOf(actor).map(collectionResource) });
  }

  @ChecksEach('read', 'Bulletin', WHO)
  @Get('api/collections/:collection')
  collection(
    @CurrentActor() actor: Actor,
    @Param('collection') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): void {
    send(req, res, collectionResource(this.collectionOf(actor, id)));
  }

  /**
   * Add objects (TAXII 2.1 §5.5), to the drafts inbox only: the envelope goes through the STIX import
   * (reports, or a feed's port indicators, become drafts; everything else is listed as a failure), and
   * the answer is a status resource, complete at once, kept for the poster.
   */
  @Checks('create', 'Bulletin', 'Only analysts, organisation admins and machine clients allowed to write post drafts')
  @Post('api/collections/:collection/objects')
  async add(
    @CurrentActor() actor: Actor,
    @Param('collection') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    assertAccepts(req);
    const collection = this.collectionOf(actor, id);
    if (!collection.inbox) throw forbidden('This collection is read-only; post to the drafts collection');
    if (!/^application\/taxii\+json\s*;\s*version=2\.1\s*$/i.test(String(req.headers['content-type'] ?? '')))
      throw new HttpException(`Unsupported media type: post an envelope as ${TAXII_MEDIA_TYPE}`, 415);
    const objects = envelopeObjects(req.body);
    // The rules every other transport applies through WellFormedTextPipe, object by object: text
    // Postgres cannot store fails its object only.
    const refused = new Map<string, string>();
    for (const o of objects) {
      const problem = illFormed(o);
      if (problem) refused.set(o.id, problem.message);
    }
    const status = await this.db.withRequest({ actor }, async () => {
      await this.db.heavyShare(actor.organisationId);
      const stored = objects.filter((o) => !refused.has(o.id));
      const { drafts, skipped } = await this.stix.import(actor, { type: 'bundle', objects: stored });
      const reasons = new Map([...refused, ...skipped.map((x) => [x.id, x.reason] as const)]);
      const detail = (o: StixObject, message?: string): StatusDetail => ({
        id: o.id,
        version: refused.has(o.id) ? '' : String(o.modified ?? o.created ?? ''),
        ...(message ? { message } : {}),
      });
      const saved = await this.statuses.add({
        organisationId: actor.organisationId!,
        requesterId: actor.userId,
        collectionId: collection.id,
        totalCount: objects.length,
        successes: objects.filter((o) => !reasons.has(o.id)).map((o) => detail(o)),
        failures: objects.filter((o) => reasons.has(o.id)).map((o) => detail(o, reasons.get(o.id))),
        draftIds: drafts.map((d) => d.id),
      });
      await this.audit.record({
        action: 'addTaxiiObjects',
        objectType: 'TaxiiStatus',
        objectId: saved.id,
        subjectOrganisationId: actor.organisationId,
        details: {
          total: saved.totalCount,
          failures: saved.failures.length,
          draftIds: saved.draftIds,
        },
      });
      return saved;
    });
    answer(res, 202, statusResource(status));
  }

  /** The status of an earlier `POST objects`, for the one who posted it (anyone else: not found). */
  @ChecksEach('create', 'Bulletin', 'A status belongs to whoever posted the objects')
  @Get('api/status/:status')
  async status(
    @Param('status', new ParseUUIDPipe({ exceptionFactory: () => notFound('Status') })) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const found = await this.db.withRequest({ actor }, () => this.statuses.get(id));
    if (!found) throw notFound('Status');
    send(req, res, statusResource(found));
  }

  @ChecksEach('read', 'Bulletin', WHO)
  @Get('api/collections/:collection/objects')
  async objects(
    @CurrentActor() actor: Actor,
    @Param('collection') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.read(actor, id, req, query);
    send(
      req,
      res,
      envelope(page, (e) => e.object),
      page.entries,
    );
  }

  @ChecksEach('read', 'Bulletin', WHO)
  @Get('api/collections/:collection/manifest')
  async manifest(
    @CurrentActor() actor: Actor,
    @Param('collection') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.read(actor, id, req, query);
    const manifest = envelope(page, (e) => ({
      id: e.object.id,
      date_added: e.added,
      version: e.object.modified ?? e.object.created,
      media_type: STIX_MEDIA_TYPE,
    }));
    send(req, res, manifest, page.entries);
  }

  @ChecksEach('read', 'Bulletin', WHO)
  @Get('api/collections/:collection/objects/:object')
  async object(
    @CurrentActor() actor: Actor,
    @Param('collection') id: string,
    @Param('object') objectId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.read(actor, id, req, query, { ids: [objectId] });
    if (!page.entries.length && !page.more) throw notFound('Object');
    send(
      req,
      res,
      envelope(page, (e) => e.object),
      page.entries,
    );
  }

  @ChecksEach('read', 'Bulletin', WHO)
  @Get('api/collections/:collection/objects/:object/versions')
  async versions(
    @CurrentActor() actor: Actor,
    @Param('collection') id: string,
    @Param('object') objectId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.read(actor, id, req, query, { ids: [objectId], limit: TAXII_PAGE_LIMIT });
    if (!page.entries.length) throw notFound('Object');
    send(
      req,
      res,
      { more: false, versions: [...new Set(page.entries.map((e) => String(e.object.modified)))] },
      page.entries,
    );
  }

  /** One page of a collection for a request: its media type accepted, its filters parsed (and narrowed). */
  private read(actor: Actor, id: string, req: Request, query: Record<string, unknown>, narrow: Partial<Filters> = {}) {
    assertAccepts(req);
    return this.page(actor, this.readable(actor, id), { ...filtersOf(query), ...narrow });
  }

  /** The collections of the caller: those it may read, and the drafts inbox if it may write drafts. */
  private collectionsOf(actor: Actor): TaxiiCollection[] {
    return collectionsFor(actor.machineClient?.maxTlp ?? null, this.abilities.forRole(actor).can('create', 'Bulletin'));
  }

  /** One of the caller's collections; NOT_FOUND for any other id (as for one that does not exist). */
  private collectionOf(actor: Actor, id: string): TaxiiCollection {
    const found = this.collectionsOf(actor).find((c) => c.id === id);
    if (!found) throw notFound('Collection');
    return found;
  }

  /** A collection the caller reads from (the drafts inbox is write-only). */
  private readable(actor: Actor, id: string): TaxiiCollection {
    const found = this.collectionOf(actor, id);
    if (found.inbox) throw forbidden('The drafts collection is write-only');
    return found;
  }

  /**
   * One page of a collection: objects in the order they were added (TaxiiCollection, `dateAdded`), at
   * most `limit`, strictly after `next` and `added_after`. A version brings its indicators and report,
   * and its author's identity when that is the author's first version in the caller's collection (one
   * query per batch says which authors appeared before). TLP markings are referred to by their standard
   * TLP 2.0 ids and never sent. `more` is known by finding the next object the filters admit.
   */
  private async page(actor: Actor, collection: TaxiiCollection, filters: Filters) {
    const narrowed = Boolean(filters.types || filters.ids || filters.versions);
    // A walk is slowed to the organisation's share of heavy-work time, never refused for it: the page
    // waits (holding no connection) until the share allows it, then takes the organisation's place.
    await this.db.paceHeavyWork(actor.organisationId, MAX_PACE_MS);
    return this.db.withRequest({ actor }, async () => {
      await this.allowance.assertLeft(actor);
      await this.db.heavyShare(actor.organisationId);
      const entries: Entry[] = [];
      const exported = new Map<string, FeedVersion>();
      const since = filters.addedAfter ? addedAfterPoint(filters.addedAfter) : undefined;
      const admits = (at: FeedCursor) =>
        (!filters.next || comparePositions(at, filters.next) > 0) &&
        (!since || at.added > since.added || (at.added === since.added && at.slot > since.slot));
      const appeared = new Set<string>();
      let from: (FeedCursor & { inclusive?: boolean }) | undefined = filters.next && {
        ...filters.next,
        inclusive: true,
      };
      let last: FeedCursor | undefined;
      let read = 0;
      let more = false;
      let objectsSeen = 0;
      let batch = BATCH;
      fill: while (read < MAX_SCAN) {
        if (!narrowed) batch = nextBatch(filters.limit + 1 - entries.length, read, objectsSeen);
        const rows = await this.queries.versionFeed(actor, {
          tlp: collection.tlp ?? undefined,
          addedFrom: since?.added,
          after: from,
          limit: batch,
        });
        read += rows.length;
        const firsts = await this.firstAppearances(actor, collection, rows, appeared);
        for (const row of rows) {
          const objects = this.objectsOf(row, firsts.has(row));
          objectsSeen += objects.length;
          for (const { object, slot } of objects) {
            const at = { added: row.added, bulletinId: row.bulletin_id, version: row.version, slot };
            if (!admits(at) || !matches(object, filters)) continue;
            if (entries.length === filters.limit) {
              more = true;
              break fill;
            }
            entries.push({ object, added: dateAdded(row.added, slot) });
            exported.set(`${row.bulletin_id}/${row.version}`, row);
            last = at;
          }
          from = { added: row.added, bulletinId: row.bulletin_id, version: row.version, slot: REPORT_SLOT };
        }
        if (rows.length < batch) break;
        if (read >= MAX_SCAN) {
          // A filter that matches little: the client goes on from the last version scanned.
          more = true;
          last = from;
        }
      }
      await this.queries.recordEach(
        'exportStix',
        [...exported.values()].map(
          (r) =>
            ({
              id: r.bulletin_id,
              version: r.version,
              tlp: r.content.tlp,
              authorOrganisationId: r.author_id,
            }) as Bulletin,
        ),
      );
      // The work: the versions read from the database and the objects sent.
      await this.allowance.charge(actor, read + entries.length);
      return { entries, more, next: more && last ? encodeCursor(last) : undefined };
    });
  }

  /**
   * The versions of `rows` that are their author's first in the caller's collection (so they bring the
   * author's identity): the first of each author not seen yet in this page, unless an earlier version of
   * that author is readable. Authors are remembered in `appeared` for the page's later batches.
   */
  private async firstAppearances(
    actor: Actor,
    collection: TaxiiCollection,
    rows: FeedVersion[],
    appeared: Set<string>,
  ): Promise<Set<FeedVersion>> {
    const candidates = new Map<string, FeedVersion>();
    for (const row of rows)
      if (!appeared.has(row.author_id) && !candidates.has(row.author_id)) candidates.set(row.author_id, row);
    const before = await this.queries.authorsSeenBefore(
      actor,
      collection.tlp ?? undefined,
      [...candidates.values()].map((r) => ({
        author: r.author_id,
        added: r.added,
        bulletinId: r.bulletin_id,
        version: r.version,
      })),
    );
    for (const author of candidates.keys()) appeared.add(author);
    return new Set([...candidates.values()].filter((r) => !before.has(r.author_id)));
  }

  /** A version's objects in their slots: the author's identity when asked, its indicators, its report. */
  private objectsOf(row: FeedVersion, withIdentity: boolean): { object: StixObject; slot: number }[] {
    const o = versionObjects(
      {
        id: row.bulletin_id,
        status: row.status,
        retractedAt: row.retracted_at,
        author: { id: row.author_id, name: row.author_name },
      },
      versionOf(row),
      row.version === row.last_version,
    );
    return [
      ...(withIdentity ? [{ object: o.identity as StixObject, slot: IDENTITY_SLOT }] : []),
      ...o.indicators.map((object, i) => ({ object: object as StixObject, slot: indicatorSlot(i) })),
      { object: o.report as StixObject, slot: REPORT_SLOT },
    ];
  }
}

/**
 * Versions to read next for an unfiltered page that still needs `wanted` objects (the page's rest and
 * one to show there is more): as many as the versions read so far suggest (four objects a version before
 * any is read), so a page of 1,000 small versions' objects does not read and decode 500 versions' content
 * it will not send; every version brings at least its report, so `wanted` versions always suffice.
 */
function nextBatch(wanted: number, read: number, objects: number): number {
  const perVersion = read ? Math.max(1, objects / read) : 4;
  return Math.max(1, Math.min(BATCH, wanted, Math.ceil(wanted / perVersion) + 1));
}

/** A TAXII envelope (or manifest) of a page: its entries as `objects`, and where the next page starts. */
function envelope(page: { entries: Entry[]; more: boolean; next?: string }, of: (e: Entry) => object) {
  return { more: page.more, ...(page.next ? { next: page.next } : {}), objects: page.entries.map(of) };
}

/** The objects of a posted TAXII envelope; a body that is not one, or holds no STIX objects, is refused whole. */
function envelopeObjects(body: unknown): StixObject[] {
  const objects = (body as { objects?: unknown } | null)?.objects;
  if (!Array.isArray(objects) || !objects.length)
    throw badInput('Expected a TAXII envelope with STIX objects: { "objects": [...] }');
  const valid = objects.every(
    (o) =>
      typeof o?.type === 'string' && typeof o?.id === 'string' && STIX_ID.test(o.id) && o.id.startsWith(`${o.type}--`),
  );
  if (!valid) throw new HttpException('Every object needs a STIX type and an id of the form <type>--<UUID>', 422);
  return objects as StixObject[];
}

const STIX_ID = /^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The status resource of TAXII 2.1 §4.3.1; the import is done when the answer leaves, so it is complete. */
function statusResource(s: TaxiiStatus) {
  return {
    id: s.id,
    status: 'complete',
    request_timestamp: s.requestTimestamp.toISOString(),
    total_count: s.totalCount,
    success_count: s.successes.length,
    successes: s.successes,
    failure_count: s.failures.length,
    failures: s.failures,
    pending_count: 0,
    pendings: [],
    x_harbourwatch_draft_ids: s.draftIds,
  };
}

function matches(o: StixObject, f: Filters): boolean {
  if (f.types && !f.types.includes(o.type)) return false;
  if (f.ids && !f.ids.includes(o.id)) return false;
  // Each object has one version here (a version of a bulletin is an object of its own): first, last and all are it.
  if (f.versions && !f.versions.some((v) => ['first', 'last', 'all'].includes(v) || v === o.modified)) return false;
  return true;
}

/** A query parameter given once (a repeated or nested one is malformed). */
function one(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw badInput(`${name} must be given once`);
}

/** A match[...] filter (as `match[type]`, or nested by an extended query parser): comma-separated, given once or repeated. */
function list(query: Record<string, unknown>, name: string): string[] | undefined {
  const nested = typeof query.match === 'object' && query.match ? (query.match as Record<string, unknown>) : {};
  const value = nested[name] ?? query[`match[${name}]`];
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((v): v is string => typeof v === 'string')) throw badInput(`match[${name}] is malformed`);
  return values.flatMap((v) => v.split(',').map((x) => x.trim())).filter(Boolean);
}

/** The query parameters of TAXII 2.1 §3.4.1; anything malformed is a 400 with a TAXII error. */
function filtersOf(query: Record<string, unknown>): Filters {
  const addedAfter = one(query, 'added_after');
  if (addedAfter !== undefined && !TIMESTAMP.test(addedAfter))
    throw badInput('added_after must be an RFC 3339 timestamp in UTC');
  const limitParam = one(query, 'limit');
  const limit = limitParam === undefined ? TAXII_PAGE_LIMIT : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1) throw badInput('limit must be a positive integer');
  const nextParam = one(query, 'next');
  const next = nextParam === undefined ? undefined : (decodeCursor(nextParam) ?? undefined);
  if (nextParam !== undefined && !next) throw badInput('next is not a value this server gave');
  return {
    addedAfter,
    limit: Math.min(limit, TAXII_PAGE_LIMIT),
    next,
    types: list(query, 'type'),
    ids: list(query, 'id'),
    versions: list(query, 'version'),
  };
}

/**
 * A client that accepts neither TAXII 2.1 nor anything gets 406 (TAXII 2.1 §1.6.8.1), before any work:
 * media ranges are matched by Express's negotiation, parameters included, so `version=1.0` is refused.
 */
function assertAccepts(req: Request): void {
  if (req.headers.accept && !req.accepts(TAXII_MEDIA_TYPE))
    throw new HttpException(`Not acceptable: this server answers ${TAXII_MEDIA_TYPE}`, 406);
}

/** A TAXII answer, with the page's first and last date added. */
function send(req: Request, res: Response, body: object, entries: Entry[] = []): void {
  assertAccepts(req);
  if (entries.length) {
    res.setHeader('X-TAXII-Date-Added-First', entries[0].added);
    res.setHeader('X-TAXII-Date-Added-Last', entries[entries.length - 1].added);
  }
  answer(res, 200, body);
}

/** The exact TAXII media type (Express would add a charset to a string body; TAXII names none). */
function answer(res: Response, status: number, body: object): void {
  res.status(status).setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.setHeader('Cache-Control', 'no-store');
  res.send(Buffer.from(JSON.stringify(body)));
}
