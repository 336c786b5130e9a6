import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { atCap, notFound, rateLimited } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { MemberRole } from '../common/organisation-type';
import { AbilityFactory } from '../sharing/ability.factory';
import type { Actor } from '../common/actor';
import { MachineClientInput, MachineClientKey } from './dto/machine-client.types';
import { MachineClient } from './machine-client.entity';
import { MachineClientsRepository } from './machine-clients.repository';
import { RequestCounts } from './request-counts';
import { EXPORT_WORK } from './export-allowance';

/** `hwk_` + the client's id (32 hex digits) + `_` + 256 random bits (base64url). */
const KEY = /^hwk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const DAY_MS = 86_400_000;
const MACHINE_REQUESTS = 'machine-client';

const sha256 = (secret: string) => createHash('sha256').update(secret).digest();
const uuidOf = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/**
 * Machine clients: an organisation admin names a client, chooses the highest marking it reads, and
 * gets its key once. A request with the key acts as a MEMBER of that organisation capped at that
 * marking (one that may write also creates drafts, never more), under the same ability and row-level
 * security as a person (never more than an analyst reads, never RED), checked against the database on every request (a revoked key stops at once on
 * every instance), throttled per client, and audited.
 */
@Injectable()
export class MachineClientsService {
  /** Keys over their allowance (SHA-256 of the whole key) and until when, on this instance. */
  private readonly overAllowance = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly clients: MachineClientsRepository,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditService,
    private readonly counts: RequestCounts,
  ) {}

  /** The actor a key stands for, or null for a key that is malformed, unknown, wrong, expired or revoked. */
  async authenticate(key: string, use: { method: string; path: string }): Promise<Actor | null> {
    const match = KEY.exec(key);
    if (!match) return null;
    const id = uuidOf(match[1]);
    // A key over its allowance is refused here until its window ends, without a query: a flood of
    // refused requests must cost the database nothing. Keyed by the whole key, so only its holder sees it.
    const fingerprint = sha256(key).toString('base64');
    const refusedUntil = this.overAllowance.get(fingerprint) ?? 0;
    // Its answer is held a second like every RATE_LIMITED (refusalHoldMs), with no connection held.
    if (refusedUntil > Date.now()) throw this.overLimit(refusedUntil - Date.now());
    const credentials = await this.clients.credentials(id);
    if (!credentials || !timingSafeEqual(sha256(match[2]), credentials.key_hash)) return null;
    await this.throttle(id, fingerprint);
    await this.db.autonomous(async (em) => {
      await this.clients.used(em, id);
      await this.audit.record(
        {
          action: 'useMachineClient',
          objectType: 'MachineClient',
          objectId: id,
          details: { method: use.method, path: use.path },
          actor: { userId: id, organisationId: credentials.organisation_id },
        },
        em,
      );
    });
    return {
      userId: id,
      sessionId: id,
      isPlatformAdmin: false,
      hasSecondFactor: true,
      organisationId: credentials.organisation_id,
      role: MemberRole.MEMBER,
      organisationType: credentials.org_type,
      organisationPorts: credentials.org_ports,
      machineClient: { id, maxTlp: credentials.max_tlp, canWrite: credentials.can_write },
    };
  }

  async list(actor: Actor): Promise<MachineClient[]> {
    await this.adminOf(actor, 'read');
    return this.clients.list();
  }

  async create(actor: Actor, input: MachineClientInput): Promise<MachineClientKey> {
    const org = await this.adminOf(actor, 'create');
    const cap = this.config.MACHINE_CLIENTS_PER_ORGANISATION;
    if ((await this.clients.live(org)) >= cap) throw atCap('live machine clients', cap);
    const id = randomUUID();
    const { key, ...stored } = this.newKey(id, input.expiresInDays);
    const client = await this.clients.create({
      id,
      organisationId: org,
      name: input.name.trim(),
      maxTlp: input.maxTlp,
      canWrite: input.canWrite ?? false,
      createdBy: actor.userId,
      ...stored,
    });
    return { client, key };
  }

  /** A new key; the old one stops working at once. */
  async rotate(actor: Actor, id: string, expiresInDays?: number): Promise<MachineClientKey> {
    await this.adminOf(actor, 'update');
    const { key, ...stored } = this.newKey(id, expiresInDays);
    const client = await this.clients.rotate(id, stored);
    if (!client) throw notFound('Machine client');
    return { client, key };
  }

  async revoke(actor: Actor, id: string): Promise<MachineClient> {
    await this.adminOf(actor, 'update');
    const client = await this.clients.revoke(id);
    if (!client) throw notFound('Machine client');
    return client;
  }

  private newKey(id: string, expiresInDays?: number) {
    const secret = randomBytes(32).toString('base64url');
    const days = Math.min(expiresInDays ?? this.config.MACHINE_KEY_MAX_DAYS, this.config.MACHINE_KEY_MAX_DAYS);
    return {
      key: `hwk_${id.replace(/-/g, '')}_${secret}`,
      keyHash: sha256(secret),
      keyHint: secret.slice(-4),
      expiresAt: new Date(Date.now() + days * DAY_MS),
    };
  }

  private adminOf(actor: Actor, action: 'create' | 'read' | 'update'): Promise<string> {
    return this.abilities.organisationFor(
      actor,
      action,
      'MachineClient',
      'Only organisation admins manage machine clients',
    );
  }

  /**
   * A key's allowance per minute: requests, and the work its exports built (ExportAllowance, read in
   * the same round trip). Over either, the key is refused until the window ends.
   */
  private async throttle(id: string, fingerprint: string): Promise<void> {
    const { hits, resetsInMs, alsoHits } = await this.counts.take(MACHINE_REQUESTS, id, 60_000, 1, EXPORT_WORK);
    if (hits <= this.config.MACHINE_CLIENT_REQUESTS_PER_MINUTE && alsoHits <= this.config.EXPORT_OBJECTS_PER_MINUTE)
      return;
    const now = Date.now();
    if (this.overAllowance.size > 10_000)
      for (const [k, until] of this.overAllowance) if (until <= now) this.overAllowance.delete(k);
    this.overAllowance.set(fingerprint, now + resetsInMs);
    throw this.overLimit(resetsInMs);
  }

  private overLimit(resetsInMs: number) {
    return rateLimited('Too many requests for this API key, try again in a minute', resetsInMs / 1000);
  }
}
