import { Inject, Injectable } from '@nestjs/common';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { AuthenticatorTransportFuture } from '@simplewebauthn/server';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import { badInput, forbidden, notFound } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { PasskeyChallenge } from './dto/passkey.types';
import { Passkey } from './passkey.entity';
import { User } from './user.entity';

/** How long a ceremony may take, from the options to the answer. */
const CEREMONY_MS = 5 * 60_000;

/** A challenge taken for one use: what it was for, and for whom. */
export interface TakenChallenge {
  challenge: string;
  userId: string | null;
}

/**
 * Passkeys (WebAuthn, @simplewebauthn/server): registering one to the signed-in person, listing,
 * renaming and removing their own, and verifying an assertion for a sign-in. The relying party is the
 * console's own origin (PUBLIC_URL): a passkey answers only there, which is what a phishing page
 * cannot imitate. User verification is required; attestation is not asked.
 */
@Injectable()
export class PasskeysService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
  ) {}

  async registrationOptions(actor: Actor): Promise<PasskeyChallenge> {
    const em = await this.db.em();
    await this.mayAdd(em, actor);
    const user = await em.findOneByOrFail(User, { id: actor.userId });
    const existing = await em.findBy(Passkey, { userId: user.id });
    const options = await generateRegistrationOptions({
      rpName: 'Harbourwatch',
      rpID: this.rp().id,
      userName: user.email,
      userDisplayName: user.displayName,
      userID: Buffer.from(user.id.replace(/-/g, ''), 'hex'),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: this.transports(p) })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    return { challengeId: await this.keep(em, options.challenge, 'register', user.id), options };
  }

  async register(actor: Actor, challengeId: string, response: unknown, name: string): Promise<Passkey> {
    const em = await this.db.em();
    await this.mayAdd(em, actor);
    const taken = await this.take(em, challengeId, 'register', actor.userId);
    if (!taken) throw notFound('Passkey request');
    const verification = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: taken.challenge,
      expectedOrigin: this.rp().origin,
      expectedRPID: this.rp().id,
      requireUserVerification: true,
    }).catch((err: Error) => {
      throw badInput(`The passkey could not be registered: ${err.message}`, 'response');
    });
    if (!verification.verified) throw badInput('The passkey could not be registered', 'response');
    const { credential, credentialDeviceType, credentialBackedUp, aaguid } = verification.registrationInfo;
    if (await em.findOneBy(Passkey, { credentialId: credential.id }))
      throw badInput('This passkey is registered already', 'response');
    const saved = await em.save(
      em.create(Passkey, {
        userId: actor.userId,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: String(credential.counter),
        transports: credential.transports ?? [],
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        aaguid,
        name: name.trim(),
      }),
    );
    return saved;
  }

  mine(actor: Actor): Promise<Passkey[]> {
    return this.db
      .em()
      .then((em) => em.find(Passkey, { where: { userId: actor.userId }, order: { createdAt: 'ASC' } }));
  }

  async rename(actor: Actor, id: string, name: string): Promise<Passkey> {
    const em = await this.db.em();
    const { affected } = await em.update(Passkey, { id, userId: actor.userId }, { name: name.trim() });
    if (!affected) throw notFound('Passkey');
    return em.findOneByOrFail(Passkey, { id });
  }

  async remove(actor: Actor, id: string): Promise<boolean> {
    const { affected } = await (await this.db.em()).delete(Passkey, { id, userId: actor.userId });
    if (!affected) throw notFound('Passkey');
    return true;
  }

  /** Options for a sign-in with any passkey of this site (discoverable: no account named). */
  async signInOptions(): Promise<PasskeyChallenge> {
    const options = await generateAuthenticationOptions({ rpID: this.rp().id, userVerification: 'required' });
    return { challengeId: await this.keep(await this.db.em(), options.challenge, 'authenticate', null), options };
  }

  /**
   * A sign-in challenge, used up in a transaction of its own before the request takes its connection:
   * a failed sign-in cannot give it back for another try.
   */
  takeForSignIn(challengeId: string): Promise<TakenChallenge | undefined> {
    return this.db.autonomous((em) => this.take(em, challengeId, 'authenticate'));
  }

  /**
   * The passkey that signed `response` over the challenge, on this site, with the person verified
   * (and `userId`'s, when named); its counter and last use recorded. Undefined when anything is wrong.
   */
  async verify(em: EntityManager, challenge: string, response: unknown, userId?: string): Promise<Passkey | undefined> {
    const answer = response as AuthenticationResponseJSON;
    const passkey = typeof answer?.id === 'string' ? await em.findOneBy(Passkey, { credentialId: answer.id }) : null;
    if (!passkey || (userId && passkey.userId !== userId)) return undefined;
    const verification = await verifyAuthenticationResponse({
      response: answer,
      expectedChallenge: challenge,
      expectedOrigin: this.rp().origin,
      expectedRPID: this.rp().id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.counter),
        transports: this.transports(passkey),
      },
      requireUserVerification: true,
    }).catch(() => undefined);
    if (!verification?.verified) return undefined;
    await em.update(Passkey, passkey.id, {
      counter: String(verification.authenticationInfo.newCounter),
      backedUp: verification.authenticationInfo.credentialBackedUp,
      lastUsedAt: new Date(),
    });
    return passkey;
  }

  /**
   * A session that may only add a passkey (its organisation requires one, it began without) adds the
   * person's first, not another: whoever began it with a relayed password and code gets no foothold
   * beside the owner's.
   */
  private async mayAdd(em: EntityManager, actor: Actor): Promise<void> {
    if (actor.enrolmentOnly && (await this.hasPasskeys(em, actor.userId)))
      throw forbidden('Sign in with your passkey to add another');
  }

  async hasPasskeys(em: EntityManager, userId: string): Promise<boolean> {
    return (await em.countBy(Passkey, { userId })) > 0;
  }

  private async keep(
    em: EntityManager,
    challenge: string,
    purpose: 'register' | 'authenticate',
    userId: string | null,
  ): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO webauthn_challenges (challenge, purpose, user_id, expires_at)
       VALUES ($1, $2, $3, clock_timestamp() + make_interval(secs => $4 / 1000.0)) RETURNING id`,
      [challenge, purpose, userId, CEREMONY_MS],
    );
    return row.id;
  }

  /** The challenge, deleted as it is read (one use) if it is `userId`'s (a registration's) or nobody's. */
  private async take(
    em: EntityManager,
    challengeId: string,
    purpose: 'register' | 'authenticate',
    userId: string | null = null,
  ): Promise<TakenChallenge | undefined> {
    await em.query(`DELETE FROM webauthn_challenges WHERE expires_at < now()`);
    const [[row]]: [{ challenge: string; user_id: string | null }[], number] = await em.query(
      `DELETE FROM webauthn_challenges WHERE id = $1 AND purpose = $2 AND user_id IS NOT DISTINCT FROM $3
       RETURNING challenge, user_id`,
      [challengeId, purpose, userId],
    );
    return row && { challenge: row.challenge, userId: row.user_id };
  }

  private transports(p: Passkey): AuthenticatorTransportFuture[] {
    return p.transports as AuthenticatorTransportFuture[];
  }

  /** The relying party: the console's host and origin. */
  private rp(): { id: string; origin: string } {
    const url = new URL(this.config.publicUrl);
    return { id: url.hostname, origin: url.origin };
  }
}
