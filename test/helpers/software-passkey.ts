import { type CBORType, encodeCBOR } from '@levischuck/tiny-cbor';
import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import type { TestApp } from './test-app';

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

/**
 * A passkey held in the test process: a P-256 key that answers WebAuthn ceremonies the way a browser
 * and an authenticator with user verification do (attestation "none"), so that API tests and the
 * channel matrix can sign in with a passkey without a browser. The server checks it like any other.
 */
export class SoftwarePasskey {
  private readonly key: { privateKey: KeyObject; publicKey: KeyObject };
  private readonly credentialId = randomBytes(16);
  private counter = 0;

  constructor(private readonly t: TestApp) {
    this.key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }

  /** Registers it to the signed-in person (`token`). */
  async register(token: string, name = 'test key'): Promise<void> {
    const asked = await this.t.gql(`mutation { passkeyRegistrationOptions { challengeId options } }`, {}, token);
    const { challengeId, options } = asked.data.passkeyRegistrationOptions;
    const jwk = this.key.publicKey.export({ format: 'jwk' });
    const cose = new Map<number, CBORType>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const id = this.credentialId;
    const attested = Buffer.concat([Buffer.alloc(16), Buffer.from([id.length >> 8, id.length & 255]), id]);
    const authData = Buffer.concat([this.authData(0x45), attested, Buffer.from(encodeCBOR(cose))]);
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const response = {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    };
    const registered = await this.t.gql(
      `mutation($c: ID!, $r: JSONObject!, $n: String!) { registerPasskey(challengeId: $c, response: $r, name: $n) { id } }`,
      { c: challengeId, r: response, n: name },
      token,
    );
    if (registered.errors) throw new Error(JSON.stringify(registered.errors));
  }

  /** Its answer to a fresh sign-in challenge, for signInWithPasskey or login's `passkey`. */
  async answer(): Promise<{ challengeId: string; response: Record<string, unknown> }> {
    const asked = await this.t.gql(`mutation { passkeySignInOptions { challengeId options } }`);
    const { challengeId, options } = asked.data.passkeySignInOptions;
    const clientData = this.clientData('webauthn.get', options.challenge);
    const authData = this.authData(0x05);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.key.privateKey);
    return {
      challengeId,
      response: {
        id: b64url(this.credentialId),
        rawId: b64url(this.credentialId),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(clientData),
          authenticatorData: b64url(authData),
          signature: b64url(signature),
        },
        clientExtensionResults: {},
      },
    };
  }

  /** A session begun with this passkey alone. */
  async signIn(organisationId?: string): Promise<{ token: string; refreshToken: string }> {
    const { challengeId, response } = await this.answer();
    const r = await this.t.gql(
      `mutation($c: ID!, $r: JSONObject!, $o: ID) { signInWithPasskey(challengeId: $c, response: $r, organisationId: $o) { accessToken refreshToken } }`,
      { c: challengeId, r: response, o: organisationId },
    );
    if (!r.data?.signInWithPasskey) throw new Error(JSON.stringify(r.errors));
    return { token: r.data.signInWithPasskey.accessToken, refreshToken: r.data.signInWithPasskey.refreshToken };
  }

  /** rpIdHash, flags (UP, UV, and AT when registering), signature counter. */
  private authData(flags: number): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(++this.counter);
    return Buffer.concat([sha256(new URL(this.t.config.publicUrl).hostname), Buffer.from([flags]), counter]);
  }

  private clientData(type: string, challenge: string): Buffer {
    const origin = new URL(this.t.config.publicUrl).origin;
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}
