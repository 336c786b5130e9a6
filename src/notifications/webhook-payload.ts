import { Bulletin } from '../bulletins/bulletin.entity';
import { LINK_ONLY } from '../outbox/mail-templates';

/**
 * The JSON a webhook receives for a bulletin event (Standard Webhooks shape: type, timestamp, data):
 * never more than the alert e-mail for that marking shows. AMBER+STRICT says only that something was
 * shared, with the link (RED never reaches a webhook).
 */
export function webhookPayload(
  b: Pick<Bulletin, 'id' | 'tlp' | 'title' | 'summary' | 'severity' | 'category' | 'ports'>,
  event: { kind: string; version: number },
  link: string,
  at: Date,
) {
  const shared = { bulletinId: b.id, version: event.version, tlp: b.tlp, url: link };
  return {
    type: `bulletin.${event.kind.toLowerCase()}`,
    timestamp: at.toISOString(),
    data: LINK_ONLY.includes(b.tlp)
      ? shared
      : { ...shared, title: b.title, summary: b.summary, severity: b.severity, category: b.category, ports: b.ports },
  };
}
