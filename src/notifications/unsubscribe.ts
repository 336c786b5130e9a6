import { createHmac, timingSafeEqual } from 'node:crypto';

/** One-click unsubscribe links: the subscription, its owner and an HMAC over both under the app secret. */
export interface UnsubscribeClaim {
  subscriptionId: string;
  userId: string;
  organisationId: string;
}

const sign = (secret: string, c: UnsubscribeClaim) =>
  createHmac('sha256', `unsubscribe:${secret}`)
    .update(`${c.subscriptionId}|${c.userId}|${c.organisationId}`)
    .digest('base64url');

export function unsubscribeLink(publicUrl: string, secret: string, c: UnsubscribeClaim): string {
  const params = new URLSearchParams({ s: c.subscriptionId, u: c.userId, o: c.organisationId, t: sign(secret, c) });
  return `${publicUrl}/unsubscribe?${params.toString()}`;
}

export function verifyUnsubscribe(secret: string, c: UnsubscribeClaim, token: string): boolean {
  const expected = Buffer.from(sign(secret, c));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
