import canonicalize from 'canonicalize';
import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { ed25519Key, publicKeyFingerprint } from '../common/ed25519';

/** What an event says, in the form it is stored. */
export interface AuditContent {
  at: string;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  subjectOrganisationId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  details: Record<string, unknown>;
}

/** The whole trail's events before per-organisation chains: one chain, hashed over the content itself. */
export const LEGACY_CHAIN = 'legacy';
/** Events with no organisation (platform administrators, failed sign-ins of unknown accounts). */
export const PLATFORM_CHAIN = 'platform';

export const GENESIS_HASH = '0'.repeat(64);

const sha256 = (...parts: (string | Buffer)[]) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};

/** The chain an event joins: the acting organisation's, else the one acted on, else the platform's. */
export function chainOf(content: Pick<AuditContent, 'actorOrganisationId' | 'subjectOrganisationId'>): string {
  return content.actorOrganisationId ?? content.subjectOrganisationId ?? PLATFORM_CHAIN;
}

/**
 * SHA-256 of the RFC 8785 canonical JSON of the event and its place. The link covers this digest, not
 * the content, so content removed later (retention, erasure) leaves the chain verifiable.
 */
export function contentHash(chain: string, chainSeq: number, content: AuditContent): string {
  return sha256(canonicalize({ chain, chainSeq, ...content })!).toString('hex');
}

/** hash = SHA-256(prevHash || contentHash). */
export function linkHash(prevHash: string, digest: string): string {
  return sha256(prevHash, digest).toString('hex');
}

/** The legacy chain's link: SHA-256(prevHash || canonical JSON of the event with its global seq). */
export function legacyHash(prevHash: string, seq: number, content: AuditContent): string {
  return sha256(prevHash, canonicalize({ seq, ...content })!).toString('hex');
}

/** A chain's last event, as a checkpoint records it. */
export interface ChainHead {
  chain: string;
  seq: number;
  hash: string;
}

/**
 * RFC 9162 Merkle Tree Hash over the heads in chain order: leaves hashed with 0x00, nodes with 0x01,
 * split at the largest power of two below the count.
 */
export function merkleRoot(heads: ChainHead[]): string {
  const leaves = heads.map((h) => sha256(Buffer.from([0]), canonicalize(h)!));
  const mth = (from: number, to: number): Buffer => {
    if (to - from === 0) return sha256('');
    if (to - from === 1) return leaves[from];
    let k = 1;
    while (k * 2 < to - from) k *= 2;
    return sha256(Buffer.from([1]), mth(from, from + k), mth(from + k, to));
  };
  return mth(0, leaves.length).toString('hex');
}

/** What a checkpoint signs: its place in the line of checkpoints and the root over every chain head. */
export interface CheckpointStatement {
  id: number;
  at: string;
  chains: number;
  root: string;
  /** SHA-256 of the previous checkpoint's statement (GENESIS_HASH for the first). */
  previous: string;
}

/** A checkpoint as stored (audit_checkpoints). */
export interface CheckpointRow {
  id: string;
  at: Date;
  heads: ChainHead[];
  root: string;
  previous: string;
  key_id: string;
  signature: string;
}

/** The statement a stored checkpoint signed. */
export const statementOf = (row: CheckpointRow): CheckpointStatement => ({
  id: Number(row.id),
  at: row.at.toISOString(),
  chains: row.heads.length,
  root: row.root,
  previous: row.previous,
});

export const statementBytes = (s: CheckpointStatement) => Buffer.from(canonicalize(s)!);
export const statementHash = (s: CheckpointStatement) => sha256(statementBytes(s)).toString('hex');

/** The checkpoint key from AUDIT_SIGNING_KEY: a 32-byte Ed25519 seed. */
export const signingKey = ed25519Key;

/** A key's id: the first 16 hex digits of SHA-256 over its raw public key. */
export const keyId = (key: KeyObject): string => publicKeyFingerprint(key).slice(0, 16);

export const signStatement = (s: CheckpointStatement, key: KeyObject) =>
  sign(null, statementBytes(s), key).toString('base64');

export const statementSigned = (s: CheckpointStatement, signature: string, key: KeyObject) =>
  verify(null, statementBytes(s), createPublicKey(key), Buffer.from(signature, 'base64'));
