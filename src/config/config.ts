import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const timeOfDay = (name: string) => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${name} must be HH:MM (UTC)`);

/** Every environment variable the server reads; docs/configuration.md's table mirrors this. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    PUBLIC_URL: z.url().optional(),
    TRUST_PROXY: bool.default(false),
    DATABASE_URL: z.url().optional(),
    DATABASE_OWNER_URL: z.url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
    DATA_DIR: z.string().default('.data'),
    CONSOLE_DIR: z.string().default('dist/web'),
    DOCS_DIR: z.string().default('dist/docs'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
    ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'ENCRYPTION_KEY must be 32 bytes, base64-encoded')
      .optional(),
    VETTING_PSEUDONYM_KEY: z
      .string()
      .refine(
        (v) => Buffer.from(v, 'base64').length >= 32,
        'VETTING_PSEUDONYM_KEY must be at least 32 bytes, base64-encoded',
      )
      .optional(),
    // Keys replaced by a rotation, still accepted for reading what they signed (comma-separated, newest first).
    JWT_SECRET_PREVIOUS: z
      .string()
      .refine(
        (v) => v.split(',').every((k) => k.length >= 32),
        'each previous JWT secret must be at least 32 characters',
      )
      .optional(),
    ENCRYPTION_KEY_PREVIOUS: z
      .string()
      .refine(
        (v) => v.split(',').every((k) => Buffer.from(k, 'base64').length === 32),
        'each previous ENCRYPTION_KEY must be 32 bytes, base64-encoded',
      )
      .optional(),
    VETTING_PSEUDONYM_KEY_PREVIOUS: z
      .string()
      .refine(
        (v) => v.split(',').every((k) => Buffer.from(k, 'base64').length >= 32),
        'each previous VETTING_PSEUDONYM_KEY must be at least 32 bytes, base64-encoded',
      )
      .optional(),
    AUDIT_SIGNING_KEY_PREVIOUS: z
      .string()
      .refine(
        (v) => v.split(',').every((k) => Buffer.from(k, 'base64').length === 32),
        'each previous AUDIT_SIGNING_KEY must be 32 bytes, base64-encoded',
      )
      .optional(),
    AUDIT_SIGNING_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'AUDIT_SIGNING_KEY must be 32 bytes, base64-encoded')
      .optional(),
    INSTANCE_NAME: z.string().min(1).max(200).default('Harbourwatch'),
    INSTANCE_SIGNING_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'INSTANCE_SIGNING_KEY must be 32 bytes, base64-encoded')
      .optional(),
    FEDERATION_PULL_SECONDS: z.coerce.number().min(0.2).max(3600).default(15),
    FEDERATION_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
    FEDERATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    FEDERATION_ALLOW_HTTP: bool.default(false),
    FEDERATION_CA_FILE: z.string().optional(),
    AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
    VETTING_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    VETTING_REMINDER_TIME: timeOfDay('VETTING_REMINDER_TIME').default('06:00'),
    CASE_KEYS_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(120),
    VETTING_PURGE_TIME: timeOfDay('VETTING_PURGE_TIME').default('03:30'),
    CASE_REMINDER_TIME: timeOfDay('CASE_REMINDER_TIME').default('07:00'),
    CASE_PURGE_TIME: timeOfDay('CASE_PURGE_TIME').default('03:00'),
    REPORT_POW_BITS: z.coerce.number().int().min(0).max(28).default(18),
    REPORT_FORM_MIN_SECONDS: z.coerce.number().int().min(0).max(600).default(3),
    REPORTS_PER_HOUR: z.coerce.number().int().min(1).default(20),
    REPORT_POSTS_PER_SECOND: z.coerce.number().min(0.1).max(10_000).default(20),
    REPORT_POSTS_WAITING: z.coerce.number().int().min(1).max(100_000).default(200),
    REPORT_UPLOADS_INFLIGHT_MB: z.coerce.number().int().min(210).default(420),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(129_600).optional(),
    INVITATION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    MACHINE_KEY_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
    ACCOUNT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    BULLETIN_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(730),
    BULLETIN_RETENTION_MIN_DAYS: z.coerce.number().int().min(1).max(36_500).default(180),
    BULLETIN_RETENTION_MAX_DAYS: z.coerce.number().int().min(1).max(36_500).default(3650),
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(365).max(36_500).default(1825),
    SESSION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    LOGIN_FAILURE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    // {"ACCOUNT": "GDPR art. 6(1)(b)", ...}: the deployment's legal basis per category of personal data.
    LEGAL_BASES: z
      .string()
      .default('{}')
      .transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'LEGAL_BASES must be a JSON object' });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string().regex(/^[A-Z_]+$/), z.string().min(1).max(500))),
    TAXII_STATUS_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    MACHINE_CLIENT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(300),
    CORRELATION_MAX_PER_VALUE: z.coerce.number().int().min(1).max(1000).default(50),
    MISP_FEED_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
    EXPORT_OBJECTS_PER_MINUTE: z.coerce.number().int().min(1).default(250_000),
    MACHINE_CLIENTS_PER_ORGANISATION: z.coerce.number().int().min(1).max(1000).default(20),
    WEBHOOKS_PER_ORGANISATION: z.coerce.number().int().min(1).max(1000).default(20),
    ALERT_SUBSCRIPTIONS_PER_ORGANISATION: z.coerce.number().int().min(1).max(100_000).default(1000),
    HEAVY_OPERATIONS_PER_ORGANISATION: z.coerce.number().int().min(1).max(64).default(1),
    HEAVY_WORK_BUSY_PERCENT: z.coerce.number().int().min(1).max(100).default(25),
    HEAVY_WORK_BURST_SECONDS: z.coerce.number().min(0).max(3600).default(2),
    GRAPHQL_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).max(1000).default(20),
    ACTOR_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(2000),
    LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
    LOGIN_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
      .optional(),
    EMAIL_WORKERS: z.coerce.number().int().min(1).max(32).default(8),
    EMAIL_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(50),
    EMAIL_RATE_PER_ORGANISATION: z.coerce.number().min(1).max(100_000).default(150),
    EMAIL_BURST_PER_ORGANISATION: z.coerce.number().int().min(0).max(1_000_000).default(2000),
    EMAIL_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(8),
    EMAIL_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    WEBHOOK_WORKERS: z.coerce.number().int().min(1).max(32).default(4),
    WEBHOOK_CONCURRENCY_PER_ORGANISATION: z.coerce.number().int().min(1).max(32).default(2),
    WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(8),
    WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: bool.default(false),
    WEBHOOK_CA_FILE: z.string().optional(),
    OIDC_RECHECK_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
    OIDC_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
    OIDC_ALLOW_HTTP: bool.default(false),
    OUTBOX_JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    OUTBOX_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    DIGEST_TIME: timeOfDay('DIGEST_TIME').default('07:00'),
    MAIL_FROM: z.string().default('Harbourwatch <no-reply@harbourwatch.local>'),
    GRAPHQL_INTROSPECTION: bool.optional(),
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
    GRAPHQL_MAX_COST: z.coerce.number().int().min(10).default(5000),
    REALTIME_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(1000).default(20),
    REALTIME_MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(50),
    METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  })
  .superRefine((c, ctx) => {
    if (c.DATABASE_URL && !c.DATABASE_OWNER_URL) {
      // The application's role must not own the schema (it would bypass row-level security).
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_OWNER_URL'],
        message: 'DATABASE_OWNER_URL is required with DATABASE_URL (the schema owner, another role)',
      });
    }
    if (c.NODE_ENV !== 'production') return;
    for (const key of [
      'JWT_SECRET',
      'ENCRYPTION_KEY',
      'VETTING_PSEUDONYM_KEY',
      'AUDIT_SIGNING_KEY',
      'INSTANCE_SIGNING_KEY',
      'DATABASE_URL',
      'PUBLIC_URL',
    ] as const) {
      if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required in production` });
    }
  });

export type RawConfig = z.infer<typeof configSchema>;

/** The validated configuration with the secrets the embedded default generated filled in. */
export interface AppConfig extends RawConfig {
  jwtSecret: string;
  /** The current JWT secret first, then those a rotation replaced (JWT_SECRET_PREVIOUS). */
  jwtSecrets: string[];
  encryptionKey: Buffer;
  /** The current ENCRYPTION_KEY first, then those a rotation replaced (ENCRYPTION_KEY_PREVIOUS). */
  encryptionKeys: Buffer[];
  /** HMAC key of vetting subject pseudonyms: the same on every instance that shares the database. */
  pseudonymKey: Buffer;
  /** The current pseudonym key first, then those a rotation replaced (VETTING_PSEUDONYM_KEY_PREVIOUS). */
  pseudonymKeys: Buffer[];
  /** Ed25519 seed of this instance's key: it signs federation requests and the bulletins it sends peers. */
  instanceSigningKey: Buffer;
  /** Ed25519 seed of the audit checkpoints' signing key. */
  auditSigningKey: Buffer;
  /** The current checkpoint key's seed first, then those a rotation replaced (AUDIT_SIGNING_KEY_PREVIOUS). */
  auditSigningKeys: Buffer[];
  publicUrl: string;
  introspection: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function parseEnv(env: NodeJS.ProcessEnv = process.env): RawConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
