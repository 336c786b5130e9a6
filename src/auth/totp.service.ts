import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SecretBox } from '../common/secret-box';

/** What TOTP seeds are sealed with (as associated data). */
export const TOTP_CONTEXT = 'totp';

/** TOTP (RFC 6238, 30 s, 6 digits) with secrets sealed at rest and replay refused per time step. */
@Injectable()
export class TotpService {
  private readonly box: SecretBox;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.box = new SecretBox(config.encryptionKeys);
  }

  newSecret(email: string): { secret: string; sealed: string; otpauthUrl: string } {
    const secret = generateSecret();
    return {
      secret,
      sealed: this.seal(secret),
      otpauthUrl: generateURI({ issuer: 'Harbourwatch', label: email, secret }),
    };
  }

  seal(secret: string): string {
    return this.box.seal(secret, TOTP_CONTEXT);
  }

  /** The accepted time step, or null. One step of clock drift either way is tolerated. */
  async check(sealed: string, code: string, lastStep: string | null): Promise<number | null> {
    const result = await verify({
      secret: this.box.open(sealed, TOTP_CONTEXT),
      token: code,
      epochTolerance: 30,
      ...(lastStep !== null ? { afterTimeStep: Number(lastStep) } : {}),
    });
    return result.valid && 'timeStep' in result ? Number(result.timeStep) : null;
  }
}
