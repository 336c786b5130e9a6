import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { badInput } from '../common/errors';

/** OWASP's argon2id baseline (m=19 MiB, t=2, p=1). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

@Injectable()
export class PasswordService {
  /** Verified against when the e-mail is unknown, so both failures cost the same time. */
  private readonly dummyHash = argon2.hash('harbourwatch-timing-equaliser', OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  /** No hash (an unknown e-mail, or an account without a password) costs the same time and fails. */
  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    const target = hash ?? (await this.dummyHash);
    const ok = await argon2.verify(target, password.slice(0, MAX_PASSWORD_LENGTH)).catch(() => false);
    return ok && !!hash;
  }

  assertAcceptable(password: string): void {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw badInput(`Password must be at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw badInput(`Password must be at most ${MAX_PASSWORD_LENGTH} characters`, 'password');
    }
  }
}
