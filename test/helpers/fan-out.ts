import { Client } from 'pg';
import { PasswordService } from '../../src/auth/password.service';
import { PASSWORD } from './factory';
import type { SmtpSink } from './smtp-sink';

/**
 * Straight into a database (owner's connection) for tests that run the built server: a terminal whose
 * analyst publishes, and a police force with its admin and `subscribers` officers who each take every
 * alert by e-mail at once. Everyone's password is PASSWORD; e-mails start with `prefix`.
 */
export async function seedFanOut(ownerUrl: string, prefix: string, subscribers: number) {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  const analyst = `${prefix}.analyst@example.eu`;
  const admin = `${prefix}.admin@example.eu`;
  try {
    await db.query(
      `
      WITH author AS (INSERT INTO organisations (name, type, sector, ports) VALUES ($3 || ' terminal', 'TERMINAL_OPERATOR', 'PRIVATE', '{NLRTM}') RETURNING id),
           police AS (INSERT INTO organisations (name, type, sector, ports) VALUES ($3 || ' police', 'POLICE', 'PUBLIC', '{NLRTM}') RETURNING id),
           a AS (INSERT INTO users (email, display_name, password_hash) VALUES ($4, 'Analyst', $1) RETURNING id),
           p AS (INSERT INTO users (email, display_name, password_hash) VALUES ($5, 'Admin', $1) RETURNING id),
           m AS (INSERT INTO memberships (organisation_id, user_id, role)
                 SELECT author.id, a.id, 'ANALYST' FROM author, a UNION ALL SELECT police.id, p.id, 'ORG_ADMIN' FROM police, p),
           officers AS (INSERT INTO users (email, display_name, password_hash)
                        SELECT format('%s.officer%s@example.eu', $3, g), format('Officer %s', g), $1 FROM generate_series(1, $2) g RETURNING id),
           om AS (INSERT INTO memberships (organisation_id, user_id, role) SELECT police.id, officers.id, 'MEMBER' FROM police, officers)
      INSERT INTO alert_subscriptions (organisation_id, user_id, name, channels, mode)
      SELECT police.id, officers.id, 'Everything', '{EMAIL}', 'IMMEDIATE' FROM police, officers`,
      [await new PasswordService().hash(PASSWORD), subscribers, prefix, analyst, admin],
    );
  } finally {
    await db.end();
  }
  return { analyst, admin };
}

/** The distinct Message-IDs each recipient got: a mail sent again after a crash keeps its Message-ID. */
export function messageIdsByRecipient(smtp: SmtpSink): Map<string, Set<string>> {
  const byRecipient = new Map<string, Set<string>>();
  for (const m of smtp.mails)
    for (const to of m.to) byRecipient.set(to, (byRecipient.get(to) ?? new Set()).add(m.messageId));
  return byRecipient;
}

/** GraphQL over HTTP to a built server listening on `port` (not a TestApp of this process). */
export function gqlAt(port: number) {
  return async (query: string, variables: object, token?: string): Promise<any> =>
    (
      await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      })
    ).json();
}
