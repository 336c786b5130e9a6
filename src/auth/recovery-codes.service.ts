import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../common/actor';
import { forbidden } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { RecoveryCode } from './recovery-code.entity';

const CODES = 10;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** xxxx-xxxx-xxxx: 60 random bits, easy to type from paper. */
function newCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => BASE32[b % 32]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/**
 * A platform administrator's one-time recovery codes: shown once when made, kept as keyed hashes,
 * each standing in once for the second factor (after the password) of someone who lost it. A new set
 * replaces the old.
 */
@Injectable()
export class RecoveryCodesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
  ) {}

  async generate(actor: Actor): Promise<string[]> {
    if (!actor.isPlatformAdmin) throw forbidden('Only platform administrators keep recovery codes');
    const em = await this.db.em();
    const codes = Array.from({ length: CODES }, newCode);
    await em.delete(RecoveryCode, { userId: actor.userId });
    await em.insert(
      RecoveryCode,
      codes.map((code) => ({ userId: actor.userId, codeHash: this.hash(code) })),
    );
    return codes;
  }

  /** How many of the platform administrator's codes are unused. */
  async left(actor: Actor): Promise<number> {
    if (!actor.isPlatformAdmin) throw forbidden('Only platform administrators keep recovery codes');
    return (await this.db.em()).countBy(RecoveryCode, { userId: actor.userId, usedAt: IsNull() });
  }

  /** Uses up the code if it is one of the person's unused ones. */
  async consume(em: EntityManager, userId: string, code: string): Promise<boolean> {
    const [[row]]: [unknown[], number] = await em.query(
      `UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = ANY ($2) AND used_at IS NULL
       RETURNING 1`,
      // Codes given out before a rotation of JWT_SECRET are kept under the secret of their day.
      [userId, this.config.jwtSecrets.map((secret) => this.hash(code, secret))],
    );
    return !!row;
  }

  private hash(code: string, secret = this.config.jwtSecret): Buffer {
    return createHmac('sha256', secret).update(`recovery-code:${code.trim().toLowerCase()}`).digest();
  }
}
