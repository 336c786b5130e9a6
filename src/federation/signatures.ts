import canonicalize from 'canonicalize';
import { createHash, randomBytes, verify } from 'node:crypto';
import { httpbis, Request as SignableRequest } from 'http-message-signatures';
import { publicKeyFromRaw } from '../common/ed25519';

/** A federation request signs its method and full URL (RFC 9421), with a nonce, for a minute. */
const FIELDS = ['@method', '@target-uri'];
const PARAMS = ['keyid', 'alg', 'created', 'expires', 'nonce'];
export const REQUEST_LIFETIME_SECONDS = 60;

export interface Signer {
  readonly id: string;
  sign(data: Buffer): Buffer;
}

/** The Signature and Signature-Input headers of a request by `signer` (its instance id as keyid). */
export async function requestSignature(signer: Signer, method: string, url: string): Promise<Record<string, string>> {
  const signed = await httpbis.signMessage(
    {
      key: { id: signer.id, alg: 'ed25519', sign: (data) => Promise.resolve(signer.sign(data)) },
      fields: FIELDS,
      params: PARAMS,
      paramValues: {
        nonce: randomBytes(16).toString('base64url'),
        expires: new Date(Date.now() + REQUEST_LIFETIME_SECONDS * 1000),
      },
    },
    { method, url, headers: {} },
  );
  return signed.headers;
}

/**
 * Who signed the request: the instance whose key (`publicKeyOf` its keyid) verifies a signature over the
 * method and URL, created within the lifetime, with a nonce (the caller refuses one seen before). Null
 * for anything else: no signature, an unknown instance, another key, a stale or tampered request.
 */
export async function requestSigner(
  request: SignableRequest,
  publicKeyOf: (instanceId: string) => Promise<Buffer | null>,
): Promise<{ instanceId: string; nonce: string } | null> {
  let signer: { instanceId: string; nonce: string } | null = null;
  try {
    const ok = await httpbis.verifyMessage(
      {
        keyLookup: async (params) => {
          const instanceId = typeof params.keyid === 'string' ? params.keyid : '';
          const raw = /^[0-9a-f-]{36}$/.test(instanceId) ? await publicKeyOf(instanceId) : null;
          if (!raw || typeof params.nonce !== 'string') return null;
          signer = { instanceId, nonce: params.nonce };
          const key = publicKeyFromRaw(raw);
          return {
            id: instanceId,
            algs: ['ed25519'],
            verify: (data, signature) => Promise.resolve(verify(null, data, key, signature)),
          };
        },
        requiredParams: ['keyid', 'created', 'expires', 'nonce'],
        requiredFields: FIELDS,
        maxAge: REQUEST_LIFETIME_SECONDS,
        tolerance: 5,
      },
      request,
    );
    return ok ? signer : null;
  } catch {
    return null;
  }
}

/** RFC 8785 canonical bytes of a payload: what its origin signs, whoever relays it. */
export const canonicalBytes = (payload: unknown): Buffer => Buffer.from(canonicalize(payload)!);

export const payloadHash = (payload: unknown): string =>
  createHash('sha256').update(canonicalBytes(payload)).digest('hex');

export const signPayload = (signer: Signer, payload: unknown): string =>
  signer.sign(canonicalBytes(payload)).toString('base64');

export function payloadSigned(payload: unknown, signature: string, publicKey: Buffer): boolean {
  try {
    return verify(null, canonicalBytes(payload), publicKeyFromRaw(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
