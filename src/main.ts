/** Process entry: config → database → migrate → seed → app → listen; graceful shutdown. */
import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './platform/config.ts';
import { DatabaseUnavailableError, openDatabase } from './platform/db/database.ts';
import { MigrationError, migrate } from './platform/db/migrate.ts';
import { databaseTarget } from './platform/db/target.ts';
import { isMain } from './platform/is-main.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createMailer } from './platform/mail.ts';

/** Exit codes (sysexits.h): a bad setting, a database that cannot be reached, a failed migration. */
export const EXIT = { config: 78, unavailable: 69, software: 70 } as const;

export async function serve(config: Config, logger: Logger = createLogger(config.logLevel)) {
  const target = databaseTarget(config);
  if (target.engine === 'pglite' && !fs.existsSync(path.join(config.dataDir, 'pglite', 'PG_VERSION'))) {
    logger.info(
      { dataDir: config.dataDir },
      'creating the embedded database (the first start takes a few seconds)',
    );
  }
  const database = await openDatabase(target);
  logger.info({ engine: database.engine, location: database.location }, 'database open');
  try {
    const applied = await migrate(database);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const app = await buildApp({ config, database, logger });
    await app.seed();
    const mailer = createMailer(database.db, { smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
    mailer.start();
    if (!config.smtpUrl) logger.info('SMTP_URL is not set: mail waits in the outbox (/admin/outbox)');
    try {
      await app.server.listen({ port: config.port, host: config.host });
    } catch (error) {
      await mailer.stop();
      throw listenError(error as NodeJS.ErrnoException, config);
    }
    logger.info({ url: config.publicUrl.href }, 'OCOP platform ready');
    // certificate reminders and star ratings, once a day (idempotent: another process may run it too)
    const stopDailyJob = app.certification.startDailyJob(logger);
    // EPCIS subscriptions: new events to the subscribers' webhooks
    const stopSubscriptions = app.traceability.subscriptions.start(logger);

    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      const force = setTimeout(() => {
        logger.error('requests did not finish within 15 s; exiting');
        process.exit(1);
      }, 15_000);
      force.unref();
      stopDailyJob();
      stopSubscriptions();
      await app.server.close();
      await mailer.stop();
      await database.close();
      logger.info('stopped');
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
    return app;
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/** Why the server could not listen, naming the setting to change. */
export class ListenError extends Error {
  override name = 'ListenError';
}

function listenError(error: NodeJS.ErrnoException, config: Config): Error {
  const where = `${config.host}:${config.port}`;
  if (error.code === 'EADDRINUSE')
    return new ListenError(`Port ${config.port} is already in use (${where}); set PORT to a free port`);
  if (error.code === 'EACCES')
    return new ListenError(
      `Not allowed to listen on ${where}; set PORT above 1023 or run with the right privileges`,
    );
  if (error.code === 'ENOTFOUND' || error.code === 'EADDRNOTAVAIL' || error.code === 'EAI_AGAIN') {
    return new ConfigError(
      `HOST "${config.host}" is not an address of this machine (${error.code}); use 0.0.0.0, 127.0.0.1 or one of its addresses`,
    );
  }
  return error;
}

/** Turns start-up failures into one clear line and an exit code, not a stack trace. */
export function exitOnStartupError(error: unknown): never {
  const known =
    error instanceof ConfigError
      ? EXIT.config
      : error instanceof DatabaseUnavailableError || error instanceof ListenError
        ? EXIT.unavailable
        : error instanceof MigrationError
          ? EXIT.software
          : undefined;
  if (known !== undefined) {
    console.error(`ocop: ${(error as Error).message}`);
    process.exit(known);
  }
  console.error('ocop: unexpected error during start-up');
  console.error(error);
  process.exit(1);
}

if (isMain(import.meta.url)) {
  try {
    await serve(loadConfig());
  } catch (error) {
    exitOnStartupError(error);
  }
}
