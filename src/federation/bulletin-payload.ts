import { z } from 'zod';
import { OrganisationType } from '../common/organisation-type';
import { Tlp, tlpsUpTo } from '../common/tlp';
import type { Peer } from './peer.entity';

/** The markings that may ever cross to another instance: RED names people and never leaves. */
export const FEDERATED_TLPS = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT] as const;

const text = (max: number) => z.string().max(max);

const namesItsBulletin = (p: { id: string; bulletinId: string }) => p.id === `report--${p.bulletinId}`;

/** What every payload says of its bulletin: which one, which version, when, whose (instance, organisation). */
const ABOUT = {
  spec: z.literal(1),
  id: z.string().regex(/^report--[0-9a-f-]{36}$/),
  bulletinId: z.uuid(),
  version: z.number().int().min(1),
  modified: z.iso.datetime({ offset: true }),
  origin: z.uuid(),
  organisationId: z.uuid(),
};

/** One bulletin version as its origin signs it for one peer: the audience is that peer's organisations. */
export const bulletinVersionPayload = z
  .object({
    type: z.literal('harbourwatch-bulletin-version'),
    ...ABOUT,
    tlp: z.enum(FEDERATED_TLPS),
    audience: z.array(z.uuid()).max(10_000),
    content: z
      .object({
        title: text(300),
        summary: text(5000),
        body: text(100_000),
        category: text(100),
        severity: text(50),
        urgency: text(50),
        certainty: text(50),
        ports: z.array(text(10)).max(50),
        sourceReliability: text(50),
        informationCredibility: text(50),
        validUntil: z.string().max(40).nullable(),
        indicators: z.array(z.object({ type: text(50), value: text(2000) })).max(1000),
      })
      .strict(),
  })
  .strict()
  .refine(namesItsBulletin, 'id names another bulletin');

export type BulletinVersionPayload = z.infer<typeof bulletinVersionPayload>;

/**
 * The origin's word that a bulletin is retracted (for everyone), or withdrawn from this peer (a revision
 * the peer may not have: RED, or an audience without any of its organisations), as of `version`.
 */
export const bulletinTombstonePayload = z
  .object({
    type: z.literal('harbourwatch-bulletin-tombstone'),
    ...ABOUT,
    reason: z.enum(['RETRACTED', 'WITHDRAWN']),
  })
  .strict()
  .refine(namesItsBulletin, 'id names another bulletin');

export type BulletinTombstonePayload = z.infer<typeof bulletinTombstonePayload>;

/** A version's snapshot (bulletin_versions.content) as it crosses: its own recipients stay home. */
export function payloadContent(content: Record<string, unknown>): BulletinVersionPayload['content'] {
  const c = content as Record<string, unknown> & { indicators?: { type: string; value: string }[] };
  return {
    title: String(c.title),
    summary: String(c.summary),
    body: String(c.body),
    category: String(c.category),
    severity: String(c.severity),
    urgency: String(c.urgency),
    certainty: String(c.certainty),
    ports: (c.ports as string[]) ?? [],
    sourceReliability: String(c.sourceReliability),
    informationCredibility: String(c.informationCredibility),
    validUntil: c.validUntil ? new Date(c.validUntil as string).toISOString() : null,
    indicators: (c.indicators ?? []).map(({ type, value }) => ({ type, value })),
  };
}

/** Whether the agreement lets this marking cross at all. */
export const agreementCarries = (peer: Pick<Peer, 'maxTlp'>, tlp: string): boolean =>
  (FEDERATED_TLPS as readonly string[]).includes(tlp) && tlpsUpTo(peer.maxTlp).includes(tlp as Tlp);

/**
 * Whether the agreement admits one of the peer's organisations: named by id, or of a listed type (in a
 * listed port, when ports are listed). An agreement naming nobody admits nobody: never "everyone".
 */
export const agreementAdmits = (
  peer: Pick<Peer, 'remoteOrganisationIds' | 'remoteTypes' | 'remotePorts'>,
  org: { id: string; type: OrganisationType | string; ports: string[] },
): boolean =>
  peer.remoteOrganisationIds.includes(org.id) ||
  (peer.remoteTypes.includes(org.type) &&
    (!peer.remotePorts.length || org.ports.some((p) => peer.remotePorts.includes(p))));
