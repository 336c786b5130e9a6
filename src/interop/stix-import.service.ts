import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Certainty, InformationCredibility, Severity, SourceReliability, Urgency } from '../bulletins/bulletin-enums';
import { BulletinCategory } from '../common/categories';
import { BulletinsService } from '../bulletins/bulletins.service';
import { BulletinInput } from '../bulletins/dto/bulletin.inputs';
import { IndicatorType, normaliseIndicator } from '../bulletins/indicators';
import { badInput } from '../common/errors';
import { LOCODE } from '../common/organisation-type';
import { Tlp, tlpsUpTo } from '../common/tlp';
import { PatternValue, patternValues } from './stix-indicators';
import { tlpOfMarkings } from './tlp-markings';

type StixObject = Record<string, unknown> & { id: string; type: string };

export interface SkippedObject {
  id: string;
  type: string;
  reason: string;
}

const MAX_OBJECTS = 10_000;
const MAX_REPORTS = 100;
const oneOf = <T extends string>(values: Record<string, T>, value: unknown, fallback: T): T =>
  Object.values(values).includes(value as T) ? (value as T) : fallback;

/**
 * STIX 2.1 import: each `report` becomes a draft bulletin of the importing organisation (analysts
 * review, then publish), its `indicator`s typed indicators; a bundle without reports (a feed) puts its
 * indicators into drafts of their own. Everything that does not become part of a draft is listed
 * with the reason, never dropped silently. Without a TLP marking a draft is AMBER_STRICT: nothing is
 * shared before an analyst decides.
 */
@Injectable()
export class StixImportService {
  constructor(private readonly bulletins: BulletinsService) {}

  async import(
    actor: Actor,
    bundle: Record<string, unknown>,
  ): Promise<{ drafts: Bulletin[]; skipped: SkippedObject[] }> {
    const objects = bundle.objects;
    if (bundle.type !== 'bundle' || !Array.isArray(objects))
      throw badInput('Expected a STIX 2.1 bundle: { "type": "bundle", "objects": [...] }', 'bundle');
    if (objects.length > MAX_OBJECTS) throw badInput(`At most ${MAX_OBJECTS} objects per bundle`, 'bundle');
    const stix = objects.filter((o): o is StixObject => typeof o?.id === 'string' && typeof o?.type === 'string');
    const skipped: SkippedObject[] =
      objects.length === stix.length
        ? []
        : [{ id: '', type: '', reason: `${objects.length - stix.length} entries are not STIX objects` }];
    // A revoked object is withdrawn by its producer (STIX 2.1 §3.6): nothing to draft from it.
    for (const o of stix.filter((x) => x.revoked === true))
      skipped.push({ id: o.id, type: o.type, reason: `${o.type} revoked by its producer` });
    const valid = stix.filter((o) => o.revoked !== true);
    const byId = new Map(valid.map((o) => [o.id, o]));
    const reports = valid.filter((o) => o.type === 'report');
    if (reports.length > MAX_REPORTS) throw badInput(`At most ${MAX_REPORTS} reports per bundle`, 'bundle');
    const used = new Set<string>();
    const drafts: Bulletin[] = [];

    for (const report of reports) {
      used.add(report.id);
      if (refusedMarking(actor, report)) {
        skipped.push({ id: report.id, type: report.type, reason: MACHINE_RED });
        continue;
      }
      const refs = (Array.isArray(report.object_refs) ? report.object_refs : [])
        .map((ref) => byId.get(String(ref)))
        .filter((o): o is StixObject => Boolean(o));
      const indicators: BulletinInput['indicators'] = [];
      for (const ref of refs) {
        if (ref.type === 'identity') used.add(ref.id);
        if (ref.type !== 'indicator') continue;
        used.add(ref.id);
        const named = indicatorsOf(ref);
        // A pattern of nothing Harbourwatch records is kept as text: the analyst sees what the report said.
        const values = named.length
          ? named
          : [{ type: IndicatorType.OTHER, value: (typeof ref.pattern === 'string' ? ref.pattern : '').slice(0, 500) }];
        indicators.push(...normalisedOf(ref, values, skipped));
      }
      const author = byId.get(String(report.created_by_ref));
      if (author) used.add(author.id);
      for (const ref of Array.isArray(report.object_marking_refs) ? report.object_marking_refs : [])
        if (byId.has(String(ref))) used.add(String(ref));
      const tlp = tlpOfMarkings(report.object_marking_refs) ?? Tlp.AMBER_STRICT;
      const description = typeof report.description === 'string' ? report.description : '';
      const name = typeof report.name === 'string' ? report.name.trim() : '';
      const provenance = `Imported from STIX ${report.id}${typeof author?.name === 'string' ? `, created by ${author.name}` : ''}.`;
      const input = draftInput(actor, {
        title: (name.length >= 3 ? name : `STIX report ${name}`.trim()).slice(0, 200),
        summary: (description.split(/\n\s*\n/)[0] || name || 'Imported STIX report').slice(0, 2000),
        body: `${description}\n\n${provenance}`.trim().slice(0, 100_000),
        category: oneOf(BulletinCategory, report.x_harbourwatch_category, BulletinCategory.OTHER),
        severity: oneOf(Severity, report.x_harbourwatch_severity, Severity.MODERATE),
        urgency: oneOf(Urgency, report.x_harbourwatch_urgency, Urgency.UNKNOWN),
        certainty: oneOf(Certainty, report.x_harbourwatch_certainty, Certainty.UNKNOWN),
        ports: (Array.isArray(report.x_harbourwatch_ports) ? report.x_harbourwatch_ports : []).filter(
          (p): p is string => typeof p === 'string' && LOCODE.test(p),
        ),
        tlp,
        indicators,
        sourceReliability: oneOf(SourceReliability, report.x_harbourwatch_source_reliability, SourceReliability.F),
        informationCredibility: oneOf(
          InformationCredibility,
          report.x_harbourwatch_information_credibility,
          InformationCredibility.CANNOT_BE_JUDGED,
        ),
      });
      drafts.push(await this.bulletins.create(actor, input));
    }

    // A feed: indicators and no report. They land in drafts for an analyst to review.
    if (!reports.length) drafts.push(...(await this.feedDrafts(actor, valid, used, skipped)));

    for (const o of valid) {
      if (used.has(o.id)) continue;
      const reason =
        o.type === 'indicator'
          ? 'indicator not referenced by any report'
          : o.type === 'marking-definition'
            ? 'marking definition not used by an imported report'
            : o.type === 'identity'
              ? 'identity not the author of an imported report'
              : `${o.type} objects are not imported`;
      skipped.push({ id: o.id, type: o.type, reason });
    }
    return { drafts, skipped };
  }

  /**
   * The indicators of a bundle without reports, in drafts of at most MAX_INDICATORS, marked as the
   * strictest marking among them (unmarked ones count as AMBER+STRICT). A pattern of nothing
   * Harbourwatch records (a file name, a MATCHES) is skipped with the reason.
   */
  private async feedDrafts(
    actor: Actor,
    objects: StixObject[],
    used: Set<string>,
    skipped: SkippedObject[],
  ): Promise<Bulletin[]> {
    const found: { object: StixObject; type: IndicatorType; value: string }[] = [];
    for (const o of objects.filter((x) => x.type === 'indicator')) {
      used.add(o.id);
      if (refusedMarking(actor, o)) {
        skipped.push({ id: o.id, type: o.type, reason: MACHINE_RED });
        continue;
      }
      const named = indicatorsOf(o);
      if (!named.length) {
        skipped.push({ id: o.id, type: o.type, reason: 'indicator pattern names nothing Harbourwatch records' });
        continue;
      }
      const kept = normalisedOf(o, named, skipped);
      found.push(...kept.map((k) => ({ object: o, ...k })));
      if (kept.length)
        for (const ref of [o.created_by_ref, ...(Array.isArray(o.object_marking_refs) ? o.object_marking_refs : [])])
          if (typeof ref === 'string' && objects.some((x) => x.id === ref)) used.add(ref);
    }
    const drafts: Bulletin[] = [];
    for (let i = 0; i < found.length; i += MAX_INDICATORS) {
      const part = found.slice(i, i + MAX_INDICATORS);
      const tlp = strictest(part.map((f) => tlpOfMarkings(f.object.object_marking_refs) ?? Tlp.AMBER_STRICT));
      const lines = part.map(
        (f) => `- ${f.value}${typeof f.object.name === 'string' ? `: ${f.object.name}` : ''} (${f.object.id})`,
      );
      const input = draftInput(actor, {
        title: `Indicators from a STIX feed${found.length > MAX_INDICATORS ? ` (part ${i / MAX_INDICATORS + 1})` : ''}`,
        summary: `${part.length} indicator(s) imported from a STIX bundle without a report. Review, describe and mark before publishing.`,
        body: lines.join('\n').slice(0, 100_000),
        tlp,
        indicators: part.map(({ type, value }) => ({ type, value })),
      });
      drafts.push(await this.bulletins.create(actor, input));
    }
    return drafts;
  }
}

const MAX_INDICATORS = 500;

const MACHINE_RED = 'TLP:RED names people: a machine client cannot post it';

/** A machine client's draft is read by its organisation's members: nothing marked RED comes in that way. */
const refusedMarking = (actor: Actor, o: StixObject) =>
  Boolean(actor.machineClient) && tlpOfMarkings(o.object_marking_refs) === Tlp.RED;

const strictest = (tlps: Tlp[]): Tlp => tlps.reduce((a, b) => (tlpsUpTo(a).includes(b) ? a : b));

/** The defaults of an imported draft, and its TLP:RED reader: the importer, until the analyst names others. */
function draftInput(
  actor: Actor,
  fields: Pick<BulletinInput, 'title' | 'summary' | 'body' | 'tlp' | 'indicators'> & Partial<BulletinInput>,
): BulletinInput {
  return {
    category: BulletinCategory.OTHER,
    severity: Severity.MODERATE,
    urgency: Urgency.UNKNOWN,
    certainty: Certainty.UNKNOWN,
    ports: [],
    sourceReliability: SourceReliability.F,
    informationCredibility: InformationCredibility.CANNOT_BE_JUDGED,
    showRecipients: false,
    recipientOrganisationIds: [],
    recipientUserIds: fields.tlp === Tlp.RED ? [actor.userId] : [],
    ...fields,
    indicators: fields.indicators.slice(0, MAX_INDICATORS),
  };
}

/**
 * The indicators an indicator object names: ours by their properties, any other by its pattern's
 * comparisons (patternValues); none for a pattern of something Harbourwatch does not record.
 */
function indicatorsOf(o: StixObject): PatternValue[] {
  const type = o.x_harbourwatch_indicator_type;
  if (Object.values(IndicatorType).includes(type as IndicatorType) && typeof o.x_harbourwatch_value === 'string')
    return [{ type: type as IndicatorType, value: o.x_harbourwatch_value }];
  return typeof o.pattern === 'string' ? patternValues(o.pattern) : [];
}

/** The values that normalise, once each; each one that does not is listed with its reason. */
function normalisedOf(o: StixObject, values: PatternValue[], skipped: SkippedObject[]): PatternValue[] {
  const kept = new Map<string, PatternValue>();
  for (const { type, value } of values) {
    const normalised = normaliseIndicator(type, value);
    if (normalised.ok) kept.set(`${type}|${normalised.value}`, { type, value: normalised.value });
    else skipped.push({ id: o.id, type: o.type, reason: `indicator ${value} not imported: ${normalised.reason}` });
  }
  return [...kept.values()];
}
