import path from 'node:path';

/** Runtime configuration, read from environment variables only (see README). */
export interface Config {
  port: number;
  host: string;
  /** postgres://… — when unset the platform runs on embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: URL;
  logLevel: LogLevel;
  /** smtp(s)://user:password@host:port — when unset, mail waits in the outbox. */
  smtpUrl: string | undefined;
  /** The From address of outgoing mail. */
  mailFrom: string;
  /** Largest uploaded file, in bytes (OCOP_UPLOAD_MAX_MB, default 20). */
  uploadLimitBytes: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A bad configuration value; the message names the variable and what it expects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function parsePort(env: Env): number {
  const raw = read(env, 'PORT');
  if (raw === undefined) return 3000;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

function parseDatabaseUrl(env: Env): string | undefined {
  const raw = read(env, 'DATABASE_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL must be a URL such as postgres://user:password@host:5432/ocop');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or postgresql://, got "${url.protocol}//…"; leave it unset to use the embedded database`,
    );
  }
  return raw;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const port = parsePort(env);
  const host = read(env, 'HOST') ?? '0.0.0.0';
  if (/\s/.test(host)) throw new ConfigError(`HOST must be a host name or IP address, got "${host}"`);
  const dataDir = path.resolve(cwd, read(env, 'OCOP_DATA_DIR') ?? 'data');

  const rawPublicUrl = read(env, 'OCOP_PUBLIC_URL') ?? `http://localhost:${port}`;
  let publicUrl: URL;
  try {
    publicUrl = new URL(rawPublicUrl);
  } catch {
    throw new ConfigError(
      `OCOP_PUBLIC_URL must be an absolute http(s) URL such as https://ocop.camau.gov.vn, got "${rawPublicUrl}"`,
    );
  }
  if (publicUrl.protocol !== 'http:' && publicUrl.protocol !== 'https:') {
    throw new ConfigError(`OCOP_PUBLIC_URL must use http or https, got "${rawPublicUrl}"`);
  }
  if (publicUrl.search || publicUrl.hash) {
    throw new ConfigError('OCOP_PUBLIC_URL must not carry a query string or fragment');
  }

  const logLevel = (read(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const smtpUrl = read(env, 'SMTP_URL');
  if (smtpUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(smtpUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'smtp:' && protocol !== 'smtps:') {
      throw new ConfigError(
        'SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465',
      );
    }
  }
  const mailFrom = read(env, 'OCOP_MAIL_FROM') ?? `OCOP <no-reply@${publicUrl.hostname}>`;
  if (!/@/.test(mailFrom))
    throw new ConfigError(`OCOP_MAIL_FROM must be an e-mail address, got "${mailFrom}"`);

  const rawUpload = read(env, 'OCOP_UPLOAD_MAX_MB') ?? '20';
  if (!/^\d{1,4}$/.test(rawUpload) || Number(rawUpload) < 1 || Number(rawUpload) > 1024) {
    throw new ConfigError(
      `OCOP_UPLOAD_MAX_MB must be a whole number of megabytes from 1 to 1024, got "${rawUpload}"`,
    );
  }

  return {
    uploadLimitBytes: Number(rawUpload) * 1024 * 1024,
    smtpUrl,
    mailFrom,
    port,
    host,
    databaseUrl: parseDatabaseUrl(env),
    dataDir,
    publicUrl,
    logLevel: logLevel as LogLevel,
  };
}
