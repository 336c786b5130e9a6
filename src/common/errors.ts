import { ASTNode, GraphQLError } from 'graphql';

/** The closed set of error codes clients can rely on (ARCHITECTURE.md §4). */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  /** The database (or another dependency) does not answer: HTTP 503 with Retry-After; retry later. */
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** Missing and not-permitted look the same, so ids cannot be probed. */
export const notFound = (what = 'Object') => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
export const badInput = (message: string, field?: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const forbidden = (message = 'Not allowed', extensions?: Record<string, unknown>) =>
  new AppError(ErrorCode.FORBIDDEN, message, extensions);
export const conflict = (message: string) => new AppError(ErrorCode.CONFLICT, message);
export const unauthenticated = (message = 'Not authenticated', extensions?: Record<string, unknown>) =>
  new AppError(ErrorCode.UNAUTHENTICATED, message, extensions);
/** An organisation at its share of something every organisation shares the platform's capacity for. */
export const atCap = (what: string, limit: number) =>
  conflict(`Your organisation has ${limit} ${what}, the most it may keep: remove one first`);
/** Too many requests; the caller's allowance is back in `retryAfter` seconds (HTTP's Retry-After). */
export const rateLimited = (message: string, retryAfter: number) =>
  new AppError(ErrorCode.RATE_LIMITED, message, { retryAfter: Math.max(1, Math.ceil(retryAfter)) });

/** Something the platform depends on (an organisation's identity provider) does not answer: retry shortly. */
export const unavailable = (message: string) => new AppError(ErrorCode.UNAVAILABLE, message);

/** A plain HTTP answer to `error` that is a 429 says when to come back (Retry-After). */
export function setRetryAfter(res: { setHeader(name: string, value: string): unknown }, error: GraphQLError): void {
  if (error.extensions.code !== ErrorCode.RATE_LIMITED) return;
  res.setHeader(
    'Retry-After',
    String(typeof error.extensions.retryAfter === 'number' ? error.extensions.retryAfter : 60),
  );
}

/**
 * A request beyond the platform's limits on what one request may ask (root fields, estimated cost):
 * BAD_USER_INPUT, and its answer is held like a refusal of work beyond a share (refusalHoldMs). No
 * client written for the API sends one; a script looping on it must not take the CPU of everyone else.
 */
export class BeyondLimitsError extends GraphQLError {
  constructor(message: string, nodes?: ASTNode) {
    super(message, { nodes, extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
  }
}

/**
 * How long to hold a refusal: every RATE_LIMITED (heavy work beyond its share or budget, an allowance
 * spent) and every request beyond the limits. A client looping on it at once is slowed to one a second
 * instead of taking the CPU everyone else's requests need, even to be refused. Callers hold it with no
 * connection or transaction open. `error` as raised (wrapped by graphql-js or Apollo or not), never as
 * formatted.
 */
export function refusalHoldMs(error: unknown): number {
  for (let e = error; e instanceof Error; e = (e as { originalError?: unknown }).originalError) {
    if (e instanceof BeyondLimitsError) return 1000;
    if ((e as { extensions?: Record<string, unknown> }).extensions?.code === ErrorCode.RATE_LIMITED) return 1000;
  }
  return 0;
}

/** The status a plain HTTP route answers with for each code (GraphQL answers 200, or 503 for UNAVAILABLE). */
export const HTTP_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export const UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable; retry shortly';

/** Seconds a client should wait before retrying an UNAVAILABLE answer. */
export const RETRY_AFTER_SECONDS = 5;

/** Postgres error classes and socket errors meaning "the database is not there", not "the query is wrong". */
const UNAVAILABLE_PG = /^(08|57P0[123]|53300)/;
const UNAVAILABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const UNAVAILABLE_TEXT =
  /Connection terminated|timeout exceeded when trying to connect|not currently accepting connections|Client has encountered a connection error/;

/** Whether `error` (raw, or wrapped by TypeORM) says the database is unreachable. */
export function isUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; driverError?: unknown; message?: unknown } | undefined, depth = 0;
    e && depth < 3;
    depth++
  ) {
    if (typeof e.code === 'string' && (UNAVAILABLE_PG.test(e.code) || UNAVAILABLE_NODE.has(e.code))) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_TEXT.test(e.message)) return true;
    e = e.driverError as typeof e;
  }
  return false;
}

/** Database work attempted after the request's transaction ended. */
export class RequestEndedError extends Error {
  constructor() {
    super('The request has ended; its database work is refused');
  }
}
