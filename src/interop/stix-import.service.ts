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
import { parseStixPattern, patternValue } from './stix-indicators';
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
 * port indicators into drafts of their own. Everything that does not become part of a draft is listed
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
        const parsed = indicatorOf(ref);
        const normalised = normaliseIndicator(parsed.type, parsed.value);
        if (normalised.ok) indicators.push({ type: parsed.type, value: normalised.value });
        else skipped.push({ id: ref.id, type: ref.type, reason: `indicator not imported: ${normalised.reason}` });
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
   * strictest marking among them (unmarked ones count as AMBER+STRICT). What is not a port indicator is skipped.
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
      const recognised = portIndicatorOf(o);
      const normalised = recognised && normaliseIndicator(recognised.type, recognised.value);
      if (!normalised) {
        skipped.push({ id: o.id, type: o.type, reason: 'indicator pattern is not a port indicator' });
      } else if (!normalised.ok) {
        skipped.push({ id: o.id, type: o.type, reason: `indicator not imported: ${normalised.reason}` });
      } else {
        found.push({ object: o, type: recognised.type, value: normalised.value });
        for (const ref of [o.created_by_ref, ...(Array.isArray(o.object_marking_refs) ? o.object_marking_refs : [])])
          if (typeof ref === 'string' && objects.some((x) => x.id === ref)) used.add(ref);
      }
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
 * A port indicator in a pattern: ours (any type), or another tool's single comparison whose value is
 * a container number or IMO number with a valid check digit. Null for anything else (URLs, addresses, hashes).
 */
function portIndicatorOf(o: StixObject): { type: IndicatorType; value: string } | null {
  const ours = indicatorOf(o);
  if (ours.type !== IndicatorType.OTHER) return ours;
  const value = patternValue(typeof o.pattern === 'string' ? o.pattern : '');
  if (value === null) return null;
  for (const type of [IndicatorType.CONTAINER_NUMBER, IndicatorType.IMO_NUMBER]) {
    if (normaliseIndicator(type, value).ok) return { type, value };
  }
  return null;
}

/** Our own indicators by their properties or pattern; any other pattern is kept as text (type OTHER). */
function indicatorOf(o: StixObject): { type: IndicatorType; value: string } {
  const type = o.x_harbourwatch_indicator_type;
  if (Object.values(IndicatorType).includes(type as IndicatorType) && typeof o.x_harbourwatch_value === 'string') {
    return { type: type as IndicatorType, value: o.x_harbourwatch_value };
  }
  const pattern = typeof o.pattern === 'string' ? o.pattern : '';
  return parseStixPattern(pattern) ?? { type: IndicatorType.OTHER, value: pattern.slice(0, 500) };
}
