import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { Tlp } from '../common/tlp';
import type { PublishedContent } from './stix-export';

const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

/** What a CAP alert says of one bulletin: its current version, and when it last changed. */
export interface CapBulletin extends PublishedContent {
  id: string;
  status: string;
  updatedAt: Date;
  authorName: string;
}

/** CAP 1.2 times: seconds precision and a numeric offset ("Z" is not allowed). */
const capTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
/** CAP values are capitalised words (Immediate, Severe, Likely). */
const capWord = (v: string) => v.charAt(0) + v.slice(1).toLowerCase();

const capIdentifier = (b: Pick<CapBulletin, 'id' | 'version' | 'status'>) =>
  `harbourwatch-${b.id}-v${b.version}${b.status === 'RETRACTED' ? '-cancel' : ''}`;

/**
 * One bulletin as a CAP 1.2 alert: category Security, the bulletin's CAP urgency, severity and
 * certainty, its ports as areas (UN/LOCODE geocodes), its indicators and TLP as parameters. A revision
 * is an Update and a retraction a Cancel, each referencing the first version. CLEAR is Public; GREEN is
 * Restricted to the alliance's members.
 */
export function capAlert(parent: XMLBuilder, b: CapBulletin, sender: string, publicUrl: string): void {
  const alert = parent.ele(CAP_NAMESPACE, 'alert');
  const text = (name: string, value: string) => alert.ele(name).txt(value);
  text('identifier', capIdentifier(b));
  text('sender', sender);
  text('sent', capTime(b.status === 'RETRACTED' ? b.updatedAt : b.publishedAt));
  text('status', 'Actual');
  text('msgType', b.status === 'RETRACTED' ? 'Cancel' : b.version > 1 ? 'Update' : 'Alert');
  text('source', b.authorName);
  if (b.tlp === Tlp.CLEAR) text('scope', 'Public');
  else {
    text('scope', 'Restricted');
    text(
      'restriction',
      'TLP:GREEN: members of the Harbourwatch alliance and their communities only, not public channels',
    );
  }
  if (b.version > 1 || b.status === 'RETRACTED')
    text(
      'references',
      `${sender},${capIdentifier({ ...b, version: 1, status: 'PUBLISHED' })},${capTime(b.publishedAt)}`,
    );

  const info = alert.ele('info');
  const field = (name: string, value: string) => info.ele(name).txt(value);
  field('language', 'en');
  field('category', 'Security');
  field('event', capWord(b.category).replace(/_/g, ' '));
  field('urgency', capWord(b.urgency));
  field('severity', capWord(b.severity));
  field('certainty', capWord(b.certainty));
  if (b.validUntil) field('expires', capTime(b.validUntil));
  field('senderName', b.authorName);
  field('headline', b.title.slice(0, 160));
  field('description', `${b.summary}\n\n${b.body}`);
  field('web', `${publicUrl}/bulletins/${b.id}`);
  const parameter = (name: string, value: string) =>
    info.ele('parameter').ele('valueName').txt(name).up().ele('value').txt(value);
  parameter('TLP', b.tlp === Tlp.CLEAR ? 'TLP:CLEAR' : 'TLP:GREEN');
  for (const i of b.indicators) parameter(i.type, i.value);
  for (const port of b.ports) {
    info
      .ele('area')
      .ele('areaDesc')
      .txt(`Port ${port}`)
      .up()
      .ele('geocode')
      .ele('valueName')
      .txt('UN/LOCODE')
      .up()
      .ele('value')
      .txt(port);
  }
}

export function capDocument(b: CapBulletin, sender: string, publicUrl: string): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  capAlert(doc, b, sender, publicUrl);
  return doc.end({ prettyPrint: true });
}

/** An Atom feed whose entries each carry one CAP alert, the usual way CAP is syndicated. */
export function capFeed(bulletins: CapBulletin[], sender: string, publicUrl: string, selfUrl: string): string {
  const feed = create({ version: '1.0', encoding: 'UTF-8' }).ele(ATOM_NAMESPACE, 'feed');
  feed.ele('id').txt(`${publicUrl}/cap/feed.xml`);
  feed.ele('title').txt('Harbourwatch alerts (CAP 1.2)');
  feed.ele('updated').txt((bulletins[0]?.updatedAt ?? new Date(0)).toISOString());
  feed.ele('author').ele('name').txt('Harbourwatch');
  feed.ele('link', { rel: 'self', href: selfUrl });
  for (const b of bulletins) {
    const entry = feed.ele('entry');
    entry.ele('id').txt(`urn:harbourwatch:${capIdentifier(b)}`);
    entry.ele('title').txt(b.title);
    entry.ele('updated').txt(b.updatedAt.toISOString());
    entry.ele('link', { rel: 'alternate', type: 'application/cap+xml', href: `${publicUrl}/cap/alerts/${b.id}.xml` });
    capAlert(entry.ele('content', { type: 'application/cap+xml' }), b, sender, publicUrl);
  }
  return feed.end({ prettyPrint: true });
}
