import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';

/** What the audit trail says a bulletin went through: opened, exported as STIX or CAP. */
export const REACH_ACTIONS = { readBulletin: 'OPENED', exportStix: 'STIX', exportCap: 'CAP' } as const;

export interface ReachRow {
  organisation_id: string;
  name: string;
  user_id: string | null;
  display_name: string | null;
  action: keyof typeof REACH_ACTIONS;
  first_at: Date;
  last_at: Date;
  times: number;
}

/** The originator's view, from the audit events other organisations left on a bulletin. */
@Injectable()
export class BulletinReachRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Per organisation, person and action; row-level security shows the author organisation these events. */
  async events(bulletinId: string, authorOrganisationId: string): Promise<ReachRow[]> {
    return (await this.db.em()).query(
      `SELECT e.actor_organisation_id AS organisation_id, o.name, e.actor_user_id AS user_id, coalesce(u.display_name, 'machine client') AS display_name,
              e.action, min(e.at) AS first_at, max(e.at) AS last_at, count(*)::int AS times
         FROM audit_events e
         JOIN organisations o ON o.id = e.actor_organisation_id
         LEFT JOIN users u ON u.id = e.actor_user_id
        WHERE e.object_type = 'Bulletin' AND e.object_id = $1 AND e.subject_organisation_id = $2
          AND e.actor_organisation_id <> $2 AND e.action = ANY($3)
        GROUP BY 1, 2, 3, 4, 5`,
      [bulletinId, authorOrganisationId, Object.keys(REACH_ACTIONS)],
    );
  }

  async names(organisationIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await (
      await this.db.em()
    ).query(`SELECT id, name FROM organisations WHERE id = ANY($1)`, [organisationIds]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
