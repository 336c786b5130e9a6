import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { IdentityProvider } from './identity-provider.entity';

/** An authorization request in flight, as the callback finds it (one use). */
export interface PendingSignIn {
  identity_provider_id: string;
  organisation_id: string;
  browser_hash: Buffer;
  nonce: string;
  code_verifier_sealed: string;
  return_to: string | null;
  tested_by: string | null;
}

/**
 * Identity providers (row-level security: the organisation's own, or a platform admin's view), their
 * authorization requests in flight and the accounts their subjects are. What runs before anyone is
 * authenticated goes through SECURITY DEFINER functions or tables outside row-level security.
 */
@Injectable()
export class IdentityProvidersRepository {
  constructor(private readonly db: DatabaseService) {}

  async own(organisationId: string): Promise<IdentityProvider | null> {
    return (await this.db.em()).findOneBy(IdentityProvider, { organisationId });
  }

  async get(id: string): Promise<IdentityProvider | null> {
    return (await this.db.em()).findOneBy(IdentityProvider, { id });
  }

  /** For platform admins: those awaiting approval first, then by organisation. */
  async all(): Promise<IdentityProvider[]> {
    return (await this.db.em())
      .createQueryBuilder(IdentityProvider, 'p')
      .orderBy('p.approved_at IS NOT NULL')
      .addOrderBy('p.updated_at', 'DESC')
      .getMany();
  }

  async save(
    provider: Partial<IdentityProvider> & Pick<IdentityProvider, 'organisationId'>,
  ): Promise<IdentityProvider> {
    const em = await this.db.em();
    const existing = await em.findOneBy(IdentityProvider, { organisationId: provider.organisationId });
    if (existing) await em.update(IdentityProvider, existing.id, provider);
    else await em.insert(IdentityProvider, provider);
    return em.findOneByOrFail(IdentityProvider, { organisationId: provider.organisationId });
  }

  async remove(organisationId: string): Promise<boolean> {
    const { affected } = await (await this.db.em()).delete(IdentityProvider, { organisationId });
    return !!affected;
  }

  async approve(id: string, by: string): Promise<IdentityProvider | null> {
    const em = await this.db.em();
    await em.update(IdentityProvider, id, { approvedAt: new Date(), approvedBy: by });
    return em.findOneBy(IdentityProvider, { id });
  }

  /** Approved providers of other organisations that answer for any of `domains`. */
  async claimingDomains(domains: string[], except: string): Promise<{ domain: string; organisation: string }[]> {
    return (await this.db.em()).query(
      `SELECT d AS domain, o.name AS organisation FROM identity_providers p
         JOIN organisations o ON o.id = p.organisation_id, unnest(p.domains) d
        WHERE p.approved_at IS NOT NULL AND p.id <> $2 AND d = ANY ($1::text[])`,
      [domains, except],
    );
  }

  /** Before sign-in: the approved provider answering for an e-mail domain, and whose it is. */
  async forDomain(domain: string): Promise<{ id: string; organisation_id: string; organisation_name: string }[]> {
    return this.db.query(`SELECT * FROM identity_provider_for_domain($1)`, [domain]);
  }

  /** Before sign-in: a provider's organisation (its back-channel logout and its key set name only it). */
  async organisationOf(id: string): Promise<string | null> {
    const [row] = await this.db.query<{ org: string | null }[]>(`SELECT identity_provider_organisation($1) AS org`, [
      id,
    ]);
    return row?.org ?? null;
  }

  async begin(em: EntityManager, stateHash: Buffer, request: PendingSignIn, ttlMs: number): Promise<void> {
    await em.query(
      `INSERT INTO identity_sign_ins (state_hash, identity_provider_id, organisation_id, browser_hash, nonce,
              code_verifier_sealed, return_to, tested_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp() + make_interval(secs => $9 / 1000.0))`,
      [
        stateHash,
        request.identity_provider_id,
        request.organisation_id,
        request.browser_hash,
        request.nonce,
        request.code_verifier_sealed,
        request.return_to,
        request.tested_by,
        ttlMs,
      ],
    );
  }

  /** The request for `stateHash`, deleted as it is read (a replayed callback finds nothing); expired ones too. */
  async take(em: EntityManager, stateHash: Buffer): Promise<PendingSignIn | undefined> {
    await em.query(`DELETE FROM identity_sign_ins WHERE expires_at < now()`);
    const [[row]]: [PendingSignIn[], number] = await em.query(
      `DELETE FROM identity_sign_ins WHERE state_hash = $1 RETURNING *`,
      [stateHash],
    );
    return row;
  }

  /** The account an IdP subject is, if it signed in before. */
  async linkedUser(em: EntityManager, providerId: string, subject: string): Promise<string | null> {
    const [row] = await em.query<{ user_id: string }[]>(
      `SELECT user_id FROM user_identities WHERE identity_provider_id = $1 AND subject = $2`,
      [providerId, subject],
    );
    return row?.user_id ?? null;
  }

  /**
   * Links an account to the subject, or records another sign-in of the link. An account has one
   * subject per provider: a person the provider knows under a new subject (their account there made
   * again) keeps their account here.
   */
  async link(em: EntityManager, providerId: string, subject: string, userId: string): Promise<void> {
    await em.query(
      `INSERT INTO user_identities (identity_provider_id, subject, user_id) VALUES ($1, $2, $3)
       ON CONFLICT (identity_provider_id, user_id) DO UPDATE SET subject = EXCLUDED.subject, last_sign_in_at = now()`,
      [providerId, subject, userId],
    );
  }

  async recordTest(id: string, test: IdentityProvider['lastTest']): Promise<void> {
    await (await this.db.em()).update(IdentityProvider, id, { lastTest: test });
  }
}
