import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntitySubscriberInterface, InsertEvent, RemoveEvent, UpdateEvent } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import type { PgListener } from '../database/pg-listener';
import type { AdmittingRule } from './ability.factory';

/** Notified (migration AdmittingRulesCache) on every change to sharing rules or organisations. */
export const SHARING_CHANNEL = 'sharing_changed';

/** The tables whose rows decide an organisation's admitting rules: its rules and their audience's organisations. */
const RULE_TABLES = new Set(['sharing_rules', 'organisations']);

/** A bound on any entry's age, whatever else happens. */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 20_000;

interface Entry {
  rules: readonly AdmittingRule[];
  expiresAt: number;
}

/**
 * Each organisation's admitting sharing rules, kept between requests (every request needs its caller's:
 * one round trip less). Never trusted longer than it could be right: every instance drops all entries
 * when Postgres notifies a change to sharing rules or organisations (the rules' audience), an entry
 * expires when its first rule's validity ends, and while the LISTEN connection is down nothing is kept.
 * The notification arrives some milliseconds after the commit, so a change written here through the
 * ORM also drops them before its response is sent: the writer's next request sees it (read your writes).
 */
@Injectable()
export class AdmittingRulesCache implements OnModuleInit, OnApplicationShutdown, EntitySubscriberInterface {
  private readonly entries = new Map<string, Entry>();
  private readonly listener: PgListener;
  private listening = false;
  /** Bumped by every invalidation: a load that started before one is not kept. */
  private generation = 0;

  constructor(
    dataSource: DataSource,
    private readonly db: DatabaseService,
  ) {
    dataSource.subscribers.push(this);
    this.listener = db.listen(SHARING_CHANNEL, {
      notification: () => this.invalidate(),
      connected: async () => {
        this.invalidate();
        this.listening = true;
      },
      lost: () => {
        this.listening = false;
        this.invalidate();
      },
    });
  }

  onModuleInit(): Promise<void> {
    return this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }

  /** The organisation's rules, from memory or from `load` (kept only if nothing changed meanwhile). */
  async get(organisationId: string, load: () => Promise<readonly AdmittingRule[]>): Promise<readonly AdmittingRule[]> {
    const now = Date.now();
    const entry = this.entries.get(organisationId);
    if (entry && entry.expiresAt > now) return entry.rules;
    const generation = this.generation;
    const rules = await load();
    if (this.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      const ends = rules.flatMap((r) => (r.validUntil ? [r.validUntil.getTime()] : []));
      this.entries.set(organisationId, { rules, expiresAt: Math.min(now + MAX_AGE_MS, ...ends) });
    }
    return rules;
  }

  afterInsert(event: InsertEvent<unknown>): void {
    this.written(event);
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    this.written(event);
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    this.written(event);
  }

  /**
   * Drops every entry now and again once the write commits, so a request that read the old rules in
   * between cannot keep them.
   */
  private written({ metadata }: { metadata: { tableName: string } }): void {
    if (!RULE_TABLES.has(metadata.tableName)) return;
    this.invalidate();
    this.db.afterCommit(async () => this.invalidate());
  }

  private invalidate(): void {
    this.generation++;
    this.entries.clear();
  }
}
