import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { forbidden, notFound } from '../common/errors';
import { PersonalDataCategory, RetentionRule } from '../common/personal-data';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import { DataProtectionRegister } from './dto/register.types';
import { registerOf } from './register';

const ORGANISATION_SETTING = /^organisations\.([a-z_]+)$/;

/** The register with what is in force: retention days for an organisation (or the platform) and the last purges. */
@Injectable()
export class DataProtectionService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
  ) {}

  /** A legal basis for a category that does not exist is a typo: refuse to start rather than show none. */
  onModuleInit(): void {
    const unknown = Object.keys(this.config.LEGAL_BASES).filter((c) => !(c in PersonalDataCategory));
    if (unknown.length) throw new Error(`LEGAL_BASES names unknown categories: ${unknown.join(', ')}`);
  }

  /**
   * Platform administrators read the register for any organisation (or the platform's defaults); an
   * organisation's DPO reads its own. An organisation the caller may not read it for is NOT_FOUND, as an unknown one.
   */
  async register(actor: Actor, requested: string | null): Promise<DataProtectionRegister> {
    const organisationId = requested ?? (actor.isPlatformAdmin ? null : actor.organisationId);
    const ability = await this.abilities.abilityFor(actor);
    if (!canOn(ability, 'read', 'DataProtection', { organisationId })) {
      if (requested) throw notFound('Organisation');
      throw forbidden('Only data protection officers and platform administrators read the register');
    }
    const em = await this.db.em();
    const tables = registerOf(this.db.dataSource.entityMetadatas);
    const settings = [
      ...new Set(tables.flatMap((t) => ORGANISATION_SETTING.exec(t.retention.setting ?? '')?.[1] ?? [])),
    ];
    let organisation: Record<string, number> | null = null;
    if (organisationId) {
      [organisation] = await em.query(
        `SELECT ${settings.map((c) => `"${c}"`).join(', ')} FROM organisations WHERE id = $1`,
        [organisationId],
      );
      if (!organisation) throw notFound('Organisation');
    }
    const purges = tables.flatMap((t) => t.retention.purge ?? []);
    // The organisation's purges, and the platform's (login failures belong to no organisation).
    const last: { action: string; at: Date; purged: number }[] = await em.query(
      `SELECT DISTINCT ON (action) action, at,
              (SELECT coalesce(sum(value::numeric), 0)::int FROM jsonb_each_text(details)) AS purged
         FROM audit_events
        WHERE action LIKE 'purge%' AND action = ANY($1)
          AND (subject_organisation_id = $2 OR subject_organisation_id IS NULL)
        ORDER BY action, seq DESC`,
      [purges, organisationId],
    );
    const byAction = new Map(last.map((l) => [l.action, l]));
    const configured = (name?: string) => (name ? (this.config[name as keyof AppConfig] as number) : null);
    const days = (rule: RetentionRule): number | null => {
      const column = ORGANISATION_SETTING.exec(rule.setting ?? '')?.[1];
      if (column) return organisation?.[column] ?? configured(rule.fallback);
      return configured(rule.setting);
    };
    return {
      organisationId,
      tables: tables.map((t) => {
        const purge = t.retention.purge ? byAction.get(t.retention.purge) : undefined;
        return {
          table: t.table,
          purpose: t.purpose,
          recipients: t.recipients,
          categories: [...t.categories],
          personalColumns: Object.keys(t.personal),
          retention: t.retention.rule,
          retentionDays: days(t.retention),
          lastPurgeAt: purge?.at ?? null,
          lastPurged: purge?.purged ?? null,
        };
      }),
      legalBases: Object.values(PersonalDataCategory).map((category) => ({
        category,
        basis: (this.config.LEGAL_BASES as Record<string, string | undefined>)[category] ?? null,
      })),
    };
  }
}
