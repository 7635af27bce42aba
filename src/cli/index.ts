/**
 * The `ocop` command. In a checkout: `npm run ocop -- <command>`; installed: `ocop <command>`.
 * Later issues add commands here; each has its own --help.
 */
import { parseArgs } from 'node:util';
import { exitOnStartupError, serve } from '../main.ts';
import { createAdminUnitsModule } from '../modules/admin-units/index.ts';
import { loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate, migrationStatus } from '../platform/db/migrate.ts';
import { databaseTarget } from '../platform/db/target.ts';
import { isMain } from '../platform/is-main.ts';

interface Command {
  summary: string;
  usage: string;
  help: string;
  options?: Record<string, { type: 'boolean' | 'string'; short?: string }>;
  run(values: Record<string, unknown>): Promise<void>;
}

const ENVIRONMENT = `Environment: DATABASE_URL (PostgreSQL; unset = embedded PGlite in OCOP_DATA_DIR, default ./data),
PORT, HOST, OCOP_PUBLIC_URL, LOG_LEVEL. See README.md.`;

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'Run the platform: migrate, load reference data, serve HTTP',
    usage: 'ocop serve',
    help: `Opens the database (creating the embedded one on first start), applies pending migrations,
loads reference data, and serves the web pages and the API on HOST:PORT until SIGTERM or SIGINT,
then finishes the requests in flight and closes the database. Same as \`npm start\`.`,
    async run() {
      await serve(loadConfig());
    },
  },
  migrate: {
    summary: 'Apply pending database migrations (or show their status)',
    usage: 'ocop migrate [--status]',
    help: `Applies every pending migration from db/migrations, each in its own transaction, under a
lock so that two processes never migrate at once. With --status, lists applied and pending
migrations and changes nothing (exit code 1 when some are pending).`,
    options: { status: { type: 'boolean' } },
    async run(values) {
      const database = await openDatabase(databaseTarget(loadConfig()));
      try {
        if (values.status) {
          const status = await migrationStatus(database);
          for (const name of status.applied) console.log(`applied  ${name}`);
          for (const name of status.pending) console.log(`pending  ${name}`);
          if (status.pending.length > 0) process.exitCode = 1;
          return;
        }
        const applied = await migrate(database);
        console.log(applied.length > 0 ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
      } finally {
        await database.close();
      }
    },
  },
  seed: {
    summary: 'Load the reference data (administrative units) into the database',
    usage: 'ocop seed [--force]',
    help: `Loads data/admin-units into the database. Idempotent: skipped when the files are the ones
already loaded, unless --force. Runs at every start too; migrations must be applied first
(it applies them).`,
    options: { force: { type: 'boolean' } },
    async run(values) {
      const database = await openDatabase(databaseTarget(loadConfig()));
      try {
        await migrate(database);
        const result = await createAdminUnitsModule(database).seed({ force: Boolean(values.force) });
        console.log(
          result.loaded ? 'Administrative units loaded:' : 'Administrative units already up to date:',
        );
        for (const [key, count] of Object.entries(result.counts)) console.log(`  ${key.padEnd(18)} ${count}`);
      } finally {
        await database.close();
      }
    },
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  return `Usage: ocop <command> [options]

Commands:
${lines.join('\n')}

Run "ocop <command> --help" for a command's options.
${ENVIRONMENT}`;
}

export async function runCli(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`ocop: unknown command "${name}"\n\n${usage()}`);
    process.exitCode = 64;
    return;
  }
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    console.error(`ocop ${name}: ${(error as Error).message}\nUsage: ${command.usage}`);
    process.exitCode = 64;
    return;
  }
  if (values.help) {
    console.log(`Usage: ${command.usage}\n\n${command.help}\n\n${ENVIRONMENT}`);
    return;
  }
  await command.run(values);
}

if (isMain(import.meta.url)) {
  runCli(process.argv.slice(2)).catch(exitOnStartupError);
}
