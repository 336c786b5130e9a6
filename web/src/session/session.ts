import { startAuthentication } from '@simplewebauthn/browser';

/**
 * The browser's session. The access token lives in this module's memory only (a reload asks for a
 * new one); the refresh token is an HttpOnly cookie the page never sees, sent to /graphql only. No
 * token touches localStorage or sessionStorage.
 */
export interface Organisation {
  id: string;
  name: string;
}

export interface Session {
  accessToken: string;
  expiresAt: number;
  organisation: Organisation | null;
}

/** A refused sign-in or call, with the server's stable code and its details (lockedUntil, ...). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Ended = 'signedOut' | 'expired';

let current: Session | null = null;
let ended: Ended | null = null;
const listeners = new Set<() => void>();

export const session = () => current;
/** Why the last session ended, for the login page to say so. */
export const endedBecause = () => ended;

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(next: Session | null, reason: Ended | null = null): void {
  current = next;
  ended = next ? null : reason;
  listeners.forEach((l) => l());
}

const SESSION_FIELDS = 'accessToken accessTokenExpiresAt organisation { id name }';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A GraphQL call outside Apollo: signing in and refreshing come before there is a token to send. */
export async function call<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json().catch(() => ({}))) as Answer;
  const error = answer.errors?.[0];
  if (error) {
    const { code, ...extensions } = error.extensions ?? {};
    throw new ApiError(error.message, typeof code === 'string' ? code : 'INTERNAL', extensions);
  }
  if (!response.ok || !answer.data) throw new ApiError(response.statusText, 'UNAVAILABLE');
  return answer.data as T;
}

interface SessionAnswer {
  accessToken: string;
  accessTokenExpiresAt: string;
  organisation: Organisation | null;
}

const toSession = (s: SessionAnswer): Session => ({
  accessToken: s.accessToken,
  expiresAt: Date.parse(s.accessTokenExpiresAt),
  organisation: s.organisation,
});

export interface Credentials {
  email: string;
  password: string;
  totp?: string;
  organisationId?: string;
  /** A platform administrator's one-time recovery code, instead of the TOTP code. */
  recoveryCode?: string;
  /** A passkey's answer as the second factor (passkeyAnswer). */
  passkey?: PasskeyAnswer;
}

export interface PasskeyAnswer {
  challengeId: string;
  response: unknown;
}

/**
 * A passkey of this site answers a fresh challenge (the browser asks the person to verify: a
 * fingerprint, a PIN). Refused or cancelled, it throws.
 */
export async function passkeyAnswer(): Promise<PasskeyAnswer> {
  const { passkeySignInOptions } = await call<{
    passkeySignInOptions: { challengeId: string; options: Parameters<typeof startAuthentication>[0]['optionsJSON'] };
  }>(`mutation { passkeySignInOptions { challengeId options } }`);
  const response = await startAuthentication({ optionsJSON: passkeySignInOptions.options });
  return { challengeId: passkeySignInOptions.challengeId, response };
}

/** The browser's own refusal of a passkey ceremony: cancelled, timed out, or no passkey for this site. */
export const passkeyCancelled = (error: unknown): boolean =>
  error instanceof Error && ['NotAllowedError', 'AbortError'].includes(error.name);

/** A sign-in with a passkey alone: the passkey names the account. */
export async function signInWithPasskey(organisationId?: string): Promise<void> {
  const { challengeId, response } = await passkeyAnswer();
  const { signInWithPasskey: session } = await call<{ signInWithPasskey: SessionAnswer }>(
    `mutation($challengeId: ID!, $response: JSONObject!, $organisationId: ID) {
      signInWithPasskey(challengeId: $challengeId, response: $response, organisationId: $organisationId, refreshCookie: true) { ${SESSION_FIELDS} }
    }`,
    { challengeId, response, organisationId },
  );
  set(toSession(session));
}

export async function signIn(credentials: Credentials): Promise<void> {
  const { login } = await call<{ login: SessionAnswer }>(
    `mutation($email: String!, $password: String!, $totp: String, $organisationId: ID, $passkey: PasskeyAssertionInput, $recoveryCode: String) {
      login(email: $email, password: $password, totp: $totp, organisationId: $organisationId, passkey: $passkey, recoveryCode: $recoveryCode, refreshCookie: true) { ${SESSION_FIELDS} }
    }`,
    { ...credentials },
  );
  set(toSession(login));
}

/**
 * The login page's first step: how this address signs in. An organisation that signs its people in
 * itself sends the browser to its identity provider, which brings it back signed in.
 */
export async function beginSignIn(email: string, returnTo: string): Promise<'PASSWORD' | 'IDENTITY_PROVIDER'> {
  const { beginSignIn: step } = await call<{
    beginSignIn: { method: 'PASSWORD' | 'IDENTITY_PROVIDER'; redirectUrl: string | null };
  }>(
    `mutation($email: String!, $returnTo: String) { beginSignIn(email: $email, returnTo: $returnTo) { method redirectUrl } }`,
    { email, returnTo },
  );
  if (step.method === 'IDENTITY_PROVIDER' && step.redirectUrl) window.location.assign(step.redirectUrl);
  return step.method;
}

export async function acceptInvitation(input: {
  token: string;
  displayName: string;
  password: string;
  totp?: string;
}): Promise<void> {
  const { acceptInvitation: accepted } = await call<{ acceptInvitation: SessionAnswer }>(
    `mutation($token: String!, $displayName: String!, $password: String!, $totp: String) {
      acceptInvitation(token: $token, displayName: $displayName, password: $password, totp: $totp, refreshCookie: true) { ${SESSION_FIELDS} }
    }`,
    input,
  );
  set(toSession(accepted));
}

let refreshing: Promise<boolean> | null = null;

/**
 * A new access token from the refresh cookie. Each refresh rotates the cookie and presenting a used
 * one ends the whole session, so tabs take turns (a Web Lock): the next tab sends the rotated cookie.
 */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const run = async () => {
      try {
        const { refreshSession } = await call<{ refreshSession: SessionAnswer }>(
          `mutation { refreshSession { ${SESSION_FIELDS} } }`,
        );
        set(toSession(refreshSession));
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') set(null, current ? 'expired' : null);
        return false;
      }
    };
    return navigator.locks ? navigator.locks.request('harbourwatch-refresh', run) : run();
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** The access token, refreshed first when it is about to expire. */
export async function freshToken(): Promise<string | null> {
  if (current && current.expiresAt - Date.now() < 30_000) await refresh();
  return current?.accessToken ?? null;
}

export async function signOut(everywhere = false): Promise<void> {
  const token = current?.accessToken;
  if (token)
    await call(everywhere ? 'mutation { logoutEverywhere }' : 'mutation { logout }', {}, token).catch(() => undefined);
  set(null, 'signedOut');
}

/** The server ended the session (idle timeout, removed member, suspended organisation...). */
export function sessionLost(): void {
  set(null, 'expired');
}
