import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/** The fields a hash covers, in the form they are stored. */
export interface ChainedEvent {
  seq: number;
  at: string;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  subjectOrganisationId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  details: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);

/** hash = SHA-256(prevHash || RFC 8785 canonical JSON of the event). */
export function chainHash(prevHash: string, event: ChainedEvent): string {
  return createHash('sha256').update(prevHash).update(canonicalize(event)!).digest('hex');
}
