import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * Rotation of ENCRYPTION_KEY and VETTING_PSEUDONYM_KEY: pseudonyms and receipt lookups record the id of
 * their key (NULL: from before they did), and the rotation job (operations/key-rotation.service.ts)
 * reads and rewrites sealed values and pseudonyms across organisations through SECURITY DEFINER
 * functions, one batch per call, as it has no request identity. The functions name only the columns
 * listed in sealed_column: no caller can point them at another.
 */
export class KeyRotation1769011200000 implements MigrationInterface {
  name = 'KeyRotation1769011200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE vetting_records ADD COLUMN pseudonym_key text`);
    await q.query(`ALTER TABLE whistleblower_cases ADD COLUMN receipt_lookup_key text`);
    // Each sealed column, with the row's values its sealing context is made of (besides its id).
    await q.query(`
      CREATE FUNCTION sealed_column(kind text, OUT tbl text, OUT col text, OUT a text, OUT b text)
        LANGUAGE sql IMMUTABLE AS $$
        SELECT s.tbl, s.col, s.a, s.b FROM (VALUES
          ('totp', 'users', 'totp_secret', 'NULL', 'NULL'),
          ('totpPending', 'users', 'totp_pending_secret', 'NULL', 'NULL'),
          ('webhookSecret', 'webhooks', 'secret_sealed', 'NULL', 'NULL'),
          ('providerClientSecret', 'identity_providers', 'client_secret_sealed', 'NULL', 'NULL'),
          ('providerSigningKey', 'identity_providers', 'signing_key_sealed', 'organisation_id::text', 'NULL'),
          ('idpRefresh', 'sessions', 'idp_refresh_sealed', 'identity_provider_id::text', 'idp_subject'),
          ('vettingDataKey', 'vetting_records', 'identity_key', 'NULL', 'NULL')
        ) s(kind, tbl, col, a, b) WHERE s.kind = sealed_column.kind
      $$`);
    await q.query(`
      CREATE FUNCTION sealed_values_batch(kind text, current_prefix text, after uuid, n int)
        RETURNS TABLE (id uuid, sealed text, a text, b text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE s record;
        BEGIN
          SELECT * INTO s FROM sealed_column(kind);
          IF s.tbl IS NULL THEN RAISE EXCEPTION 'no sealed column %', kind; END IF;
          RETURN QUERY EXECUTE format(
            'SELECT id, %1$I, %2$s, %3$s FROM %4$I
              WHERE %1$I IS NOT NULL AND NOT starts_with(%1$I, $1) AND id > $2 ORDER BY id LIMIT $3',
            s.col, s.a, s.b, s.tbl) USING current_prefix, after, n;
        END $$`);
    // A value changed since it was read (a new TOTP seed, a new webhook secret) keeps its change.
    await q.query(`
      CREATE FUNCTION sealed_values_replace(kind text, ids uuid[], before text[], after text[])
        RETURNS int LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE s record; n int;
        BEGIN
          SELECT * INTO s FROM sealed_column(kind);
          IF s.tbl IS NULL THEN RAISE EXCEPTION 'no sealed column %', kind; END IF;
          EXECUTE format(
            'UPDATE %2$I t SET %1$I = x.after FROM unnest($1, $2, $3) x(id, before, after)
              WHERE t.id = x.id AND t.%1$I = x.before', s.col, s.tbl) USING ids, before, after;
          GET DIAGNOSTICS n = ROW_COUNT;
          RETURN n;
        END $$`);
    await q.query(`
      CREATE FUNCTION vetting_pseudonyms_batch(kid text, after uuid, n int)
        RETURNS TABLE (id uuid, subject_pseudonym bytea, identity_key text, identity text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT v.id, v.subject_pseudonym, v.identity_key, v.identity FROM vetting_records v
         WHERE v.pseudonym_key IS DISTINCT FROM kid AND v.id > after ORDER BY v.id LIMIT n
      $$`);
    // A record of the same subject, employer and authority made under the new key meanwhile keeps the
    // old pseudonym (both stay found: lookups search under every configured key).
    await q.query(`
      CREATE FUNCTION vetting_pseudonyms_replace(kid text, ids uuid[], pseudonyms bytea[])
        RETURNS int LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE n int;
        BEGIN
          UPDATE vetting_records v SET subject_pseudonym = x.p, pseudonym_key = kid
            FROM unnest(ids, pseudonyms) x(id, p)
           WHERE v.id = x.id
             AND NOT EXISTS (SELECT 1 FROM vetting_records o
                              WHERE o.organisation_id = v.organisation_id
                                AND o.employer_organisation_id = v.employer_organisation_id
                                AND o.subject_pseudonym = x.p AND o.id <> v.id);
          GET DIAGNOSTICS n = ROW_COUNT;
          RETURN n;
        END $$`);
    // With a single key configured, lookups of unknown key are under it (no other key could open them).
    await q.query(`
      CREATE FUNCTION whistleblower_receipt_lookups_name_key(kid text) RETURNS int
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH named AS (UPDATE whistleblower_cases SET receipt_lookup_key = kid
                        WHERE receipt_lookup_key IS NULL RETURNING 1)
        SELECT count(*)::int FROM named
      $$`);
    await q.query(`
      CREATE FUNCTION key_rotation_pending(sealing_prefix text, pseudonym_kid text, lookup_kid text)
        RETURNS TABLE (kind text, pending bigint, total bigint)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE k text; s record;
        BEGIN
          FOREACH k IN ARRAY ARRAY['totp', 'totpPending', 'webhookSecret', 'providerClientSecret',
                                   'providerSigningKey', 'idpRefresh', 'vettingDataKey'] LOOP
            SELECT * INTO s FROM sealed_column(k);
            RETURN QUERY EXECUTE format(
              'SELECT $2, count(*) FILTER (WHERE NOT starts_with(%1$I, $1)), count(*) FROM %2$I WHERE %1$I IS NOT NULL',
              s.col, s.tbl) USING sealing_prefix, k;
          END LOOP;
          RETURN QUERY SELECT 'vettingPseudonym', count(*) FILTER (WHERE v.pseudonym_key IS DISTINCT FROM pseudonym_kid),
                              count(*) FROM vetting_records v;
          RETURN QUERY SELECT 'receiptLookup', count(*) FILTER (WHERE c.receipt_lookup_key IS DISTINCT FROM lookup_kid),
                              count(*) FROM whistleblower_cases c;
        END $$`);
    for (const fn of FUNCTIONS) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.keyRotation,
      JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 60, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.keyRotation]);
    for (const fn of FUNCTIONS) await q.query(`DROP FUNCTION ${fn}`);
    await q.query(`DROP FUNCTION sealed_column(text)`);
    await q.query(`ALTER TABLE whistleblower_cases DROP COLUMN receipt_lookup_key`);
    await q.query(`ALTER TABLE vetting_records DROP COLUMN pseudonym_key`);
  }
}

const FUNCTIONS = [
  'sealed_values_batch(text, text, uuid, int)',
  'sealed_values_replace(text, uuid[], text[], text[])',
  'vetting_pseudonyms_batch(text, uuid, int)',
  'vetting_pseudonyms_replace(text, uuid[], bytea[])',
  'whistleblower_receipt_lookups_name_key(text)',
  'key_rotation_pending(text, text, text)',
];
