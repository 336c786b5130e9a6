import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { IndicatorType } from '../bulletins/indicators';
import { Severity } from '../bulletins/bulletin-enums';
import { Tlp } from '../common/tlp';
import { OrganisationRef } from '../common/dto/organisation-ref.types';

/** Namespace of the deterministic attribute uuids: the same value of the same version is the same attribute. */
const NAMESPACE = 'c6a5c1a2-0f5b-4b7e-8d2c-5a9f3e7b1d44';

/**
 * Each indicator type as a MISP attribute (MISP's describeTypes): the standard type where MISP has one,
 * `text` with the Harbourwatch type in the comment otherwise. `to_ids` where a sensor can match it.
 */
const ATTRIBUTES: Record<IndicatorType, (value: string) => { type: string; category: string; toIds: boolean }> = {
  [IndicatorType.CONTAINER_NUMBER]: () => ({ type: 'text', category: 'Other', toIds: false }),
  [IndicatorType.IMO_NUMBER]: () => ({ type: 'text', category: 'Other', toIds: false }),
  [IndicatorType.SEAL_NUMBER]: () => ({ type: 'text', category: 'Other', toIds: false }),
  [IndicatorType.LICENCE_PLATE]: () => ({ type: 'text', category: 'Other', toIds: false }),
  [IndicatorType.VESSEL_NAME]: () => ({ type: 'text', category: 'Other', toIds: false }),
  [IndicatorType.COMPANY]: () => ({ type: 'text', category: 'Attribution', toIds: false }),
  [IndicatorType.BILL_OF_LADING]: () => ({ type: 'text', category: 'Other', toIds: false }),
  [IndicatorType.IP_ADDRESS]: () => ({ type: 'ip-dst', category: 'Network activity', toIds: true }),
  [IndicatorType.DOMAIN_NAME]: () => ({ type: 'domain', category: 'Network activity', toIds: true }),
  [IndicatorType.URL]: () => ({ type: 'url', category: 'Network activity', toIds: true }),
  [IndicatorType.EMAIL_ADDRESS]: () => ({ type: 'email', category: 'Network activity', toIds: true }),
  [IndicatorType.FILE_HASH]: (v) => ({
    type: ({ 32: 'md5', 40: 'sha1', 64: 'sha256' } as Record<number, string>)[v.length],
    category: 'Payload delivery',
    toIds: true,
  }),
  [IndicatorType.PHONE_NUMBER]: () => ({ type: 'phone-number', category: 'Other', toIds: false }),
  [IndicatorType.IBAN]: () => ({ type: 'iban', category: 'Financial fraud', toIds: false }),
  [IndicatorType.OTHER]: () => ({ type: 'text', category: 'Other', toIds: false }),
};

/** The MISP `tlp` taxonomy (TLP 2.0 values) and its usual colours. */
const TLP_TAGS: Record<Tlp, { name: string; colour: string }> = {
  [Tlp.CLEAR]: { name: 'tlp:clear', colour: '#ffffff' },
  [Tlp.GREEN]: { name: 'tlp:green', colour: '#33ff00' },
  [Tlp.AMBER]: { name: 'tlp:amber', colour: '#ffc000' },
  [Tlp.AMBER_STRICT]: { name: 'tlp:amber+strict', colour: '#ffc000' },
  [Tlp.RED]: { name: 'tlp:red', colour: '#ff0033' },
};

/** MISP threat levels: 1 high, 2 medium, 3 low. */
const THREAT_LEVELS: Record<Severity, string> = {
  [Severity.EXTREME]: '1',
  [Severity.SEVERE]: '1',
  [Severity.MODERATE]: '2',
  [Severity.MINOR]: '3',
};

export interface MispBulletin {
  id: string;
  status: string;
  version: number;
  title: string;
  summary: string;
  body: string;
  category: string;
  severity: Severity;
  tlp: Tlp;
  publishedAt: Date;
  updatedAt: Date;
  author: OrganisationRef;
  indicators: { type: IndicatorType; value: string }[];
}

const epoch = (d: Date) => String(Math.floor(d.getTime() / 1000));
const day = (d: Date) => d.toISOString().slice(0, 10);

function tags(b: MispBulletin) {
  return [
    { ...TLP_TAGS[b.tlp], exportable: true },
    {
      name: `harbourwatch:category="${b.category.toLowerCase().replace(/_/g, '-')}"`,
      colour: '#0b5394',
      exportable: true,
    },
    ...(b.status === 'RETRACTED'
      ? [{ name: 'harbourwatch:status="retracted"', colour: '#999999', exportable: true }]
      : []),
  ];
}

const org = (o: OrganisationRef) => ({ id: '0', name: o.name, uuid: o.id });

/** What an event and its manifest entry both say of a bulletin. */
const summary = (b: MispBulletin) => ({
  info: `${b.status === 'RETRACTED' ? '[RETRACTED] ' : ''}${b.title}`,
  date: day(b.publishedAt),
  threat_level_id: THREAT_LEVELS[b.severity],
  analysis: '2',
  timestamp: epoch(b.updatedAt),
  publish_timestamp: epoch(b.publishedAt),
});

/**
 * A bulletin as a MISP event (MISP core format): its current version, distribution "your organisation
 * only" so that the receiving MISP shares it no further than its own organisation, TLP as a tag, no
 * related events (correlation stays the receiving instance's, over what it holds). A retracted bulletin
 * stays an event, tagged retracted, every attribute off for IDS: MISP feeds do not delete.
 */
export function mispEvent(b: MispBulletin) {
  const retracted = b.status === 'RETRACTED';
  const attributes = b.indicators.map((i) => {
    const kind = ATTRIBUTES[i.type](i.value);
    return {
      id: '0',
      event_id: '0',
      uuid: uuidv5(`bulletin/${b.id}/v${b.version}/${i.type}/${i.value}`, NAMESPACE),
      type: kind.type,
      category: kind.category,
      to_ids: kind.toIds && !retracted,
      value: i.value,
      comment: i.type.toLowerCase().replace(/_/g, ' '),
      distribution: '5',
      sharing_group_id: '0',
      timestamp: epoch(b.updatedAt),
      ShadowAttribute: [],
      SharingGroup: [],
    };
  });
  return {
    Event: {
      id: '0',
      orgc_id: '0',
      org_id: '0',
      uuid: b.id,
      ...summary(b),
      published: true,
      distribution: '0',
      sharing_group_id: '0',
      proposal_email_lock: false,
      locked: false,
      attribute_count: String(attributes.length),
      Org: org(b.author),
      Orgc: org(b.author),
      Tag: tags(b),
      Attribute: attributes,
      ShadowAttribute: [],
      RelatedEvent: [],
    },
  };
}

/** The feed's manifest entry of an event (what MISP compares to decide what to fetch). */
export function manifestEntry(b: MispBulletin) {
  return {
    [b.id]: {
      ...summary(b),
      Orgc: { name: b.author.name, uuid: b.author.id },
      Tag: tags(b).map(({ name, colour }) => ({ name, colour })),
    },
  };
}

/** hashes.csv: the MD5 of each attribute value and its event, so MISP finds a value without fetching every event. */
export function hashLines(b: MispBulletin): string[] {
  return b.indicators.map((i) => `${createHash('md5').update(i.value).digest('hex')},${b.id}`);
}
