import { v5 as uuidv5 } from 'uuid';
import { OrganisationRef } from '../common/dto/organisation-ref.types';
import { IndicatorType } from '../bulletins/indicators';
import { Tlp } from '../common/tlp';
import { stixPattern } from './stix-indicators';
import { tlpMarking, TLP_MARKING_IDS } from './tlp-markings';

/** Fixed namespace of Harbourwatch's deterministic STIX ids: the same bulletin version always has the same report id. */
const NAMESPACE = '1d6f4a8e-2b55-4c7a-9f0e-7c3b8a9d5e21';

/** A published bulletin version as the export formats (STIX, CAP) read it. */
export interface PublishedContent {
  version: number;
  title: string;
  summary: string;
  body: string;
  category: string;
  severity: string;
  urgency: string;
  certainty: string;
  sourceReliability: string;
  informationCredibility: string;
  ports: string[];
  tlp: Tlp;
  validUntil: Date | null;
  publishedAt: Date;
  indicators: { type: IndicatorType; value: string }[];
}

export interface ExportBulletin {
  id: string;
  status: string;
  retractedAt: Date | null;
  author: OrganisationRef;
  versions: PublishedContent[];
}

const stixId = (type: string, name: string) => `${type}--${uuidv5(name, NAMESPACE)}`;
const ts = (d: Date) => d.toISOString();

/** The STIX objects of one published version, and the author identity and marking they refer to. */
export interface VersionObjects {
  identity: object;
  marking: object;
  report: { id: string; modified: string } & Record<string, unknown>;
  indicators: ({ id: string; modified: string } & Record<string, unknown>)[];
}

/**
 * One version as STIX 2.1: its `report` and an `indicator` per indicator (revoked, and modified at
 * the retraction, when it is a retracted bulletin's last version), the author's `identity` and the
 * TLP 2.0 marking definition. Recipients never leave the platform.
 */
export function versionObjects(
  b: Pick<ExportBulletin, 'id' | 'status' | 'author' | 'retractedAt'>,
  v: PublishedContent,
  last: boolean,
): VersionObjects {
  const identity = stixId('identity', `organisation/${b.author.id}`);
  const marking = TLP_MARKING_IDS[v.tlp];
  const at = ts(v.publishedAt);
  const revoked = last && b.status === 'RETRACTED';
  // Revoking is a new version of each object (STIX 2.1 §3.6): it carries the retraction's time.
  const modified = revoked && b.retractedAt ? ts(b.retractedAt) : at;
  const indicators = v.indicators.map((i) => {
    const id = stixId('indicator', `bulletin/${b.id}/v${v.version}/${i.type}/${i.value}`);
    return {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: at,
      modified,
      created_by_ref: identity,
      name: `${i.type} ${i.value}`,
      indicator_types: ['malicious-activity'],
      pattern: stixPattern(i.type, i.value),
      pattern_type: 'stix',
      valid_from: at,
      ...(v.validUntil ? { valid_until: ts(v.validUntil) } : {}),
      object_marking_refs: [marking],
      // A retracted bulletin's indicators stop detections downstream as its report does.
      ...(revoked ? { revoked: true } : {}),
      x_harbourwatch_indicator_type: i.type,
      x_harbourwatch_value: i.value,
    };
  });
  const report = stixId('report', `bulletin/${b.id}/v${v.version}`);
  return {
    identity: {
      type: 'identity',
      spec_version: '2.1',
      id: identity,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: b.author.name,
      identity_class: 'organization',
      x_harbourwatch_organisation_id: b.author.id,
    },
    marking: tlpMarking(v.tlp),
    indicators,
    report: {
      type: 'report',
      spec_version: '2.1',
      id: report,
      created: at,
      modified,
      created_by_ref: identity,
      name: v.title,
      description: `${v.summary}\n\n${v.body}`,
      report_types: ['threat-report'],
      published: at,
      object_refs: [identity, ...indicators.map((i) => i.id)],
      object_marking_refs: [marking],
      labels: [v.category.toLowerCase()],
      ...(revoked ? { revoked: true } : {}),
      x_harbourwatch_bulletin_id: b.id,
      x_harbourwatch_version: v.version,
      x_harbourwatch_category: v.category,
      x_harbourwatch_severity: v.severity,
      x_harbourwatch_urgency: v.urgency,
      x_harbourwatch_certainty: v.certainty,
      x_harbourwatch_source_reliability: v.sourceReliability,
      x_harbourwatch_information_credibility: v.informationCredibility,
      ...(v.ports.length ? { x_harbourwatch_ports: v.ports } : {}),
    },
  };
}

/** A STIX 2.1 bundle of bulletins: every version's objects, each object once. */
export function stixBundle(bulletins: ExportBulletin[]) {
  const objects = new Map<string, object>();
  for (const b of bulletins) {
    b.versions.forEach((v, i) => {
      const o = versionObjects(b, v, i === b.versions.length - 1);
      for (const object of [o.identity, o.marking, ...o.indicators, o.report])
        objects.set((object as { id: string }).id, object);
    });
  }
  return {
    type: 'bundle',
    id: `bundle--${uuidv5(`bundle/${[...objects.keys()].sort().join(',')}`, NAMESPACE)}`,
    objects: [...objects.values()],
  };
}
