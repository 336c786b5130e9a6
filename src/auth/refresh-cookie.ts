import type { CookieOptions, Request, Response } from 'express';
import type { AuthSession } from './dto/auth.types';

/**
 * The refresh token for browsers: in a cookie scripts cannot read (HttpOnly), sent over HTTPS only,
 * never with a request from another site, and only to the GraphQL endpoint where refreshSession lives.
 * API clients keep receiving and sending it in the body.
 */
export const REFRESH_COOKIE = 'hw_refresh';
const OPTIONS: CookieOptions = { httpOnly: true, secure: true, sameSite: 'strict', path: '/graphql' };

/** Sets the session's refresh token as the cookie and leaves it out of the answer. */
export function inCookie(res: Response, session: AuthSession): AuthSession {
  res.cookie(REFRESH_COOKIE, session.refreshToken, { ...OPTIONS, expires: session.refreshTokenExpiresAt });
  return { ...session, refreshToken: null };
}

export function refreshTokenFromCookie(req: Request): string | undefined {
  const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' && value ? value : undefined;
}

export function clearRefreshCookie(res: Response): void {
  res.clearCookie(REFRESH_COOKIE, OPTIONS);
}
