import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { Actor } from './actor';

/** Who the database sees acting (row-level security settings); defaults to the authenticated actor. */
export interface DbIdentity {
  userId: string | null;
  organisationId: string | null;
  isPlatformAdmin: boolean;
  /** An anonymous whistleblower who proved their receipt: that one case only. */
  caseId?: string | null;
  /** A peer instance, proven by its signature: its own federation rows only. */
  peerId?: string | null;
}

/** A job acting as a member of an organisation (a bulletin's author, to read it whatever its marking). */
export const memberIdentity = (userId: string, organisationId: string): DbIdentity => ({
  userId,
  organisationId,
  isPlatformAdmin: false,
});

/** Work for an organisation as a whole, by no one in it (a webhook delivery, a provider's logout). */
export const organisationIdentity = (organisationId: string): DbIdentity => ({
  userId: null,
  organisationId,
  isPlatformAdmin: false,
});

/** What one request carries through its async calls: who acts, and its database transaction once opened. */
export interface RequestState {
  actor?: Actor;
  /** Set by DatabaseService.actAs once a public operation (login, invitation) knows who acts. */
  identity?: DbIdentity;
  /** The actor's CASL ability, built once per request (sharing/AbilityFactory). */
  ability?: unknown;
  /** Per-request DataLoaders (common/request-loaders). */
  loaders?: Map<string, unknown>;
  runner?: QueryRunner;
  opening?: Promise<QueryRunner>;
  /** Set once the request's transaction is over: later database work of this request is refused. */
  ended?: boolean;
  /** Last writes of the transaction, on its own connection, just before it commits (never on rollback). */
  beforeCommit?: ((em: EntityManager) => Promise<void>)[];
  /** Side effects (e-mail) that may only happen once the transaction committed. */
  afterCommit?: (() => Promise<void>)[];
  /** Work that must persist whatever the outcome, run once the request's connection is released. */
  afterEnd?: (() => Promise<void>)[];
  /** The request this one runs inside (DatabaseService.withRequest): its connection counts as held here too. */
  parent?: RequestState;
}

export const requestContext = new AsyncLocalStorage<RequestState>();

export function currentState(): RequestState | undefined {
  return requestContext.getStore();
}
