import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { BulletinCategory } from '../common/categories';
import { DatabaseService } from '../database/database.service';
import { Bulletin } from './bulletin.entity';
import { BulletinQueriesService } from './bulletin-queries.service';
import { Dashboard, DashboardWeek } from './dto/dashboard.types';
import { IndicatorType } from './indicators';

const WEEK_MS = 7 * 86_400_000;

/** Monday 00:00 UTC of the week `date` falls in. */
function weekStart(date: Date): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
}

/**
 * The dashboard's figures, each one query over the bulletins the caller may read (the ability in SQL,
 * as the feed's): what the caller cannot read is never counted, not even as a number.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly db: DatabaseService,
    private readonly queries: BulletinQueriesService,
  ) {}

  async dashboard(actor: Actor, weeks: number): Promise<Dashboard> {
    const since = new Date(weekStart(new Date()).getTime() - (weeks - 1) * WEEK_MS);
    const [visibleSql, visibleParams] = (await this.queries.visible(actor))
      .select('b.id', 'id')
      .addSelect(['b.title AS title', 'b.tlp AS tlp', 'b.version AS version', 'b.status AS status'])
      .addSelect(['b.organisation_id AS organisation_id', 'b.category AS category', 'b.ports AS ports'])
      .addSelect(['b.published_at AS published_at', 'b.recipient_organisation_ids AS recipient_organisation_ids'])
      .andWhere(`b.status <> 'DRAFT'`)
      .getQueryAndParameters();
    const n = visibleParams.length;
    const params = [...visibleParams, since, actor.organisationId];
    const em = await this.db.em();
    const SINCE = `$${n + 1}::timestamptz`;
    const ORG = `$${n + 2}::uuid`;
    // Every statement names every parameter (Postgres refuses one it is sent and not asked for).
    const run = <T>(sql: string) =>
      em.query<T[]>(`WITH args AS (SELECT ${SINCE} AS since, ${ORG} AS org), v AS (${visibleSql}) ${sql}`, params);

    // One after the other: they share the request's one connection.
    const perWeek = await run<{ week: Date; category: BulletinCategory; n: number }>(
      `SELECT date_trunc('week', published_at, 'UTC') AS week, category, count(*)::int AS n
           FROM v WHERE published_at >= ${SINCE} GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const ports = await run<{ port: string; bulletins: number; sightings: number }>(
      `, named AS (SELECT unnest(ports) AS port, count(*)::int AS n FROM v WHERE published_at >= ${SINCE} GROUP BY 1),
           seen AS (SELECT s.port, count(*)::int AS n FROM indicator_sightings s
                     WHERE s.kind = 'SEEN' AND s.seen_at >= ${SINCE} AND s.bulletin_id IN (SELECT id FROM v) GROUP BY 1)
         SELECT coalesce(named.port, seen.port) AS port, coalesce(named.n, 0) AS bulletins, coalesce(seen.n, 0) AS sightings
           FROM named FULL JOIN seen ON seen.port = named.port
          ORDER BY coalesce(named.n, 0) + coalesce(seen.n, 0) DESC, 1`,
    );
    const [responses] = await run<{ open: number; overdue: number }>(
      `SELECT count(*) FILTER (WHERE r.due_at >= now())::int AS open, count(*) FILTER (WHERE r.due_at < now())::int AS overdue
           FROM bulletin_responses r
          WHERE r.organisation_id = ${ORG} AND r.due_at IS NOT NULL AND r.responded_at IS NULL
            AND r.bulletin_id IN (SELECT id FROM v WHERE status = 'PUBLISHED')`,
    );
    const [acknowledgements] = await run<{ bulletins: number; recipients: number; acknowledged: number }>(
      `SELECT count(*)::int AS bulletins, coalesce(sum(cardinality(recipient_organisation_ids)), 0)::int AS recipients,
                coalesce(sum((SELECT count(*) FROM bulletin_acknowledgements a
                               WHERE a.bulletin_id = v.id AND a.organisation_id = ANY(v.recipient_organisation_ids))), 0)::int AS acknowledged
           FROM v WHERE organisation_id = ${ORG} AND published_at >= ${SINCE} AND cardinality(recipient_organisation_ids) > 0`,
    );
    const sightings = await run<{
      indicator_type: IndicatorType;
      port: string;
      seen_at: Date;
      id: string;
      title: string;
      tlp: Bulletin['tlp'];
      version: number;
      organisation_id: string;
    }>(
      `SELECT s.indicator_type, s.port, s.seen_at, v.id, v.title, v.tlp, v.version, v.organisation_id
           FROM indicator_sightings s JOIN v ON v.id = s.bulletin_id
          WHERE s.kind = 'SEEN' AND s.seen_at >= ${SINCE} ORDER BY s.seen_at DESC LIMIT 10`,
    );
    // The titles of the sightings' bulletins are read here: audited as a list of them is.
    await this.queries.recordListed(
      'dashboard',
      sightings.map(
        (s) => ({ id: s.id, tlp: s.tlp, version: s.version, authorOrganisationId: s.organisation_id }) as Bulletin,
      ),
    );

    return {
      since,
      weeks: Array.from({ length: weeks }, (_, i): DashboardWeek => {
        const start = new Date(since.getTime() + i * WEEK_MS);
        return {
          weekStart: start,
          byCategory: perWeek
            .filter((w) => new Date(w.week).getTime() === start.getTime())
            .map((w) => ({ category: w.category, count: w.n })),
        };
      }),
      ports,
      openResponses: responses.open,
      overdueResponses: responses.overdue,
      acknowledgements,
      recentSightings: sightings.map((s) => ({
        indicatorType: s.indicator_type,
        port: s.port,
        seenAt: s.seen_at,
        bulletin: { id: s.id, title: s.title },
      })),
    };
  }
}
