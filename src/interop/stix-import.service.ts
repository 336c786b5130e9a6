import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { Bulletin } from '../bulletins/bulletin.entity';
import {
  BulletinCategory,
  Certainty,
  InformationCredibility,
  Severity,
  SourceReliability,
  Urgency,
} from '../bulletins/bulletin-enums';
import { BulletinsService } from '../bulletins/bulletins.service';
import { BulletinInput } from '../bulletins/dto/bulletin.inputs';
import { IndicatorType, normaliseIndicator } from '../bulletins/indicators';
import { badInput } from '../common/errors';
import { LOCODE } from '../organisations/organisation-type';
import { Tlp } from '../sharing/tlp';
import { parseStixPattern } from './stix-indicators';
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
 * review, then publish), its `indicator`s typed indicators. Everything that does not become part of a
 * draft is listed with the reason, never dropped silently. Without a TLP marking a draft is
 * AMBER_STRICT: nothing is shared before an analyst decides.
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
    const valid = objects.filter((o): o is StixObject => typeof o?.id === 'string' && typeof o?.type === 'string');
    const skipped: SkippedObject[] =
      objects.length === valid.length
        ? []
        : [{ id: '', type: '', reason: `${objects.length - valid.length} entries are not STIX objects` }];
    const byId = new Map(valid.map((o) => [o.id, o]));
    const reports = valid.filter((o) => o.type === 'report');
    if (reports.length > MAX_REPORTS) throw badInput(`At most ${MAX_REPORTS} reports per bundle`, 'bundle');
    const used = new Set<string>();
    const drafts: Bulletin[] = [];

    for (const report of reports) {
      used.add(report.id);
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
      const input: BulletinInput = {
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
        recipientOrganisationIds: [],
        // TLP:RED names its readers: the importer, until the analyst names others.
        recipientUserIds: tlp === Tlp.RED ? [actor.userId] : [],
        indicators: indicators.slice(0, 500),
        sourceReliability: oneOf(SourceReliability, report.x_harbourwatch_source_reliability, SourceReliability.F),
        informationCredibility: oneOf(
          InformationCredibility,
          report.x_harbourwatch_information_credibility,
          InformationCredibility.CANNOT_BE_JUDGED,
        ),
        showRecipients: false,
      };
      drafts.push(await this.bulletins.create(actor, input));
    }

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
