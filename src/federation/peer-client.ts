import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { AppConfig } from '../config/config';
import { requestSignature, Signer } from './signatures';

/** Answers over this size are refused (a page of versions stays well under it). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Signed GETs to a peer: HTTPS checked against the public CAs and FEDERATION_CA_FILE (a national PKI),
 * HTTP only with FEDERATION_ALLOW_HTTP; each with its own timeout, so a slow peer holds only its own turn.
 */
export class PeerClient {
  private readonly https: HttpsAgent;
  private readonly http = new HttpAgent({ keepAlive: true });

  constructor(
    private readonly config: AppConfig,
    private readonly signer: Signer,
  ) {
    this.https = new HttpsAgent({
      keepAlive: true,
      ...(config.FEDERATION_CA_FILE
        ? { ca: [...rootCertificates, readFileSync(config.FEDERATION_CA_FILE, 'utf8')] }
        : {}),
    });
  }

  async get<T>(baseUrl: string, path: string): Promise<T> {
    const url = `${baseUrl.replace(/\/$/, '')}${path}`;
    const secure = url.startsWith('https://');
    if (!secure && !this.config.FEDERATION_ALLOW_HTTP) throw new Error('the peer is not on HTTPS');
    const headers = await requestSignature(this.signer, 'GET', url);
    const send = secure ? httpsRequest : httpRequest;
    return new Promise<T>((resolve, reject) => {
      const req = send(
        url,
        { method: 'GET', headers: { ...headers, accept: 'application/json' }, agent: secure ? this.https : this.http },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES) req.destroy(new Error('the peer answered more than a page'));
            else chunks.push(c);
          });
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200)
              return reject(new Error(`the peer answered ${res.statusCode}: ${body.slice(0, 200)}`));
            try {
              resolve(JSON.parse(body) as T);
            } catch {
              reject(new Error('the peer answered something other than JSON'));
            }
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(this.config.FEDERATION_TIMEOUT_MS, () =>
        req.destroy(new Error('the peer did not answer in time')),
      );
      req.on('error', reject);
      req.end();
    });
  }
}
