import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * Retention of what was kept for ever: ended sessions (with their refresh tokens), ended invitations,
 * stale login failures, and delivery records (e-mail and webhook deliveries, digest items, correlation
 * notices). One batch per table and call, so a purge never holds a long transaction or many locks; the
 * daily job calls again until a call purges less than a batch. SECURITY DEFINER: the job has no request
 * identity and row-level security hides deliveries from anyone else. Answers the counts per purge and
 * organisation (none for login failures, which belong to no organisation), for the audit trail.
 */
export class PersonalDataRetention1768752000000 implements MigrationInterface {
  name = 'PersonalDataRetention1768752000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION retention_purge(session_days int, login_failure_days int, delivery_days int, batch int)
        RETURNS TABLE (action text, organisation_id uuid, purged int)
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH sessions_gone AS (
          DELETE FROM sessions s WHERE s.ctid = ANY (ARRAY(
            SELECT x.ctid FROM sessions x
             WHERE least(x.expires_at, coalesce(x.revoked_at, 'infinity')) < now() - make_interval(days => session_days)
             LIMIT batch))
          RETURNING s.organisation_id
        ), invitations_gone AS (
          DELETE FROM invitations i WHERE i.ctid = ANY (ARRAY(
            SELECT x.ctid FROM invitations x
             WHERE least(x.expires_at, coalesce(x.accepted_at, 'infinity'), coalesce(x.revoked_at, 'infinity'))
                   < now() - make_interval(days => session_days)
             LIMIT batch))
          RETURNING i.organisation_id
        ), failures_gone AS (
          DELETE FROM login_failures f WHERE f.ctid = ANY (ARRAY(
            SELECT x.ctid FROM login_failures x
             WHERE greatest(x.last_failure_at, coalesce(x.locked_until, '-infinity'))
                   < now() - make_interval(days => login_failure_days)
             LIMIT batch))
          RETURNING NULL::uuid AS organisation_id
        ), notifications_gone AS (
          DELETE FROM notification_deliveries d WHERE d.ctid = ANY (ARRAY(
            SELECT x.ctid FROM notification_deliveries x
             WHERE x.status <> 'PENDING' AND x.created_at < now() - make_interval(days => delivery_days)
             LIMIT batch))
          RETURNING d.organisation_id
        ), webhooks_gone AS (
          DELETE FROM webhook_deliveries d WHERE d.ctid = ANY (ARRAY(
            SELECT x.ctid FROM webhook_deliveries x
             WHERE x.status <> 'PENDING' AND x.created_at < now() - make_interval(days => delivery_days)
             LIMIT batch))
          RETURNING d.organisation_id
        ), digests_gone AS (
          DELETE FROM digest_items d WHERE d.ctid = ANY (ARRAY(
            SELECT x.ctid FROM digest_items x WHERE x.created_at < now() - make_interval(days => delivery_days)
             LIMIT batch))
          RETURNING d.organisation_id
        ), notices_gone AS (
          DELETE FROM correlation_notices n WHERE n.ctid = ANY (ARRAY(
            SELECT x.ctid FROM correlation_notices x WHERE x.created_at < now() - make_interval(days => delivery_days)
             LIMIT batch))
          RETURNING n.organisation_id
        ), gone (action, organisation_id) AS (
          SELECT 'purgeSessions', organisation_id FROM sessions_gone
          UNION ALL SELECT 'purgeInvitations', organisation_id FROM invitations_gone
          UNION ALL SELECT 'purgeLoginFailures', organisation_id FROM failures_gone
          UNION ALL SELECT 'purgeDeliveries', organisation_id FROM notifications_gone
          UNION ALL SELECT 'purgeDeliveries', organisation_id FROM webhooks_gone
          UNION ALL SELECT 'purgeDeliveries', organisation_id FROM digests_gone
          UNION ALL SELECT 'purgeDeliveries', organisation_id FROM notices_gone
        )
        SELECT g.action, g.organisation_id, count(*)::int FROM gone g GROUP BY 1, 2
      $$`);
    // The register shows each retention rule's last purge: a few events among millions.
    await q.query(
      `CREATE INDEX audit_events_purge_idx ON audit_events (action, subject_organisation_id, seq DESC) WHERE action LIKE 'purge%'`,
    );
    await q.query(`REVOKE ALL ON FUNCTION retention_purge(int, int, int, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION retention_purge(int, int, int, int) TO ${APP_ROLE}`);
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.personalDataRetention,
      JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 60, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.personalDataRetention]);
    await q.query(`DROP FUNCTION retention_purge(int, int, int, int)`);
    await q.query(`DROP INDEX audit_events_purge_idx`);
  }
}
