/**
 * The `ocop` command. In a checkout: `npm run ocop -- <command>`; installed: `ocop <command>`.
 * Later issues add commands here; each has its own --help.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../app.ts';
import { exitOnStartupError, serve } from '../main.ts';
import { createAdminUnitsModule } from '../modules/admin-units/index.ts';
import { verifyOffline } from '../modules/certification/index.ts';
import { createCriteriaService } from '../modules/evaluation/index.ts';
import { createIdentityModule, ROLES, type Role } from '../modules/identity/index.ts';
import { loadDemo } from '../modules/products/index.ts';
import { loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate, migrationStatus } from '../platform/db/migrate.ts';
import { databaseTarget } from '../platform/db/target.ts';
import { DomainError } from '../platform/errors.ts';
import { isMain } from '../platform/is-main.ts';
import { createLogger } from '../platform/logger.ts';

interface Command {
  summary: string;
  usage: string;
  help: string;
  options?: Record<string, { type: 'boolean' | 'string'; short?: string }>;
  /** The sub-command words the command takes (\`user add\`). */
  positionals?: string[];
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
  criteria: {
    summary: 'Publish a new criteria version: ocop criteria import FILE',
    usage: 'ocop criteria import FILE',
    positionals: ['import', '<FILE>'],
    help: `Publishes a corrected or new legal text of the OCOP criteria as a new version. FILE is a JSON
bundle: { "slug": "27-2027", "title": "27/2027/QĐ-TTg", "source": "…", "sets": [ {…one form, as in
data/criteria/26-2026/01.json}, … ], "corrections": [ {…as in data/criteria/corrections-26-2026.json} ] }.
The whole version is validated first (part and section maxima, option points, star markers) and
refused with every problem listed. A published version never changes: a slug that exists is
refused. Scores keep the version they were made under. Written to the audit log (actor: cli).`,
    async run(values) {
      const file = (values._ as string[])[1]!;
      let bundle: unknown;
      try {
        bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new UsageError(`cannot read ${file} as JSON (${(error as Error).message})`);
      }
      const database = await openDatabase(databaseTarget(loadConfig()));
      try {
        await migrate(database);
        const version = await createCriteriaService(database.db)
          .importVersion({ actor: { type: 'system', label: 'cli' } }, bundle)
          .catch((error: unknown) => {
            if (error instanceof DomainError)
              throw new UsageError(`${error.code}: ${JSON.stringify(error.params)}`);
            throw error;
          });
        console.log(
          `Criteria version ${version.slug} (${version.title}) published: ${version.sets.length} sets.`,
        );
      } finally {
        await database.close();
      }
    },
  },
  demo: {
    summary: 'Load the Cà Mau demo data set (producers, products, certificates; marked as demo data)',
    usage: 'ocop demo',
    help: `Loads data/demo/ca-mau.json: real OCOP producers and products of Cà Mau as reported in the
press (see data/demo/README.md), with their star ratings, so that a new installation shows a living
platform, and a certificate for each product whose round year is known (dated 5 February of the next
year, numbered DEMO-96-…): older ones have expired, as they would have. Every record is marked as
demo data and shown with a "Dữ liệu minh hoạ" badge. Running it again updates the same records
instead of adding new ones. Written to the audit log (actor: cli).`,
    async run() {
      const database = await openDatabase(databaseTarget(loadConfig()));
      try {
        await migrate(database);
        await createAdminUnitsModule(database).seed();
        const app = await buildApp({ config: loadConfig(), database, logger: createLogger('warn') });
        const context = { actor: { type: 'system' as const, label: 'cli' } };
        const result = await loadDemo(database.db, { producers: app.producers }, context);
        // their certificates, which set the star ratings in force today
        const certificates = await app.certification.loadDemo(context, result.items);
        await app.products.maintain();
        await app.server.close();
        console.log(
          `Demo data loaded: ${result.producers} producers, ${result.products} products, ${certificates} new certificates (marked as demo).`,
        );
      } finally {
        await database.close();
      }
    },
  },
  certificates: {
    summary: 'Certificates: run the daily reminders, rotate the QR signing key, verify a QR offline',
    usage:
      'ocop certificates daily | ocop certificates rotate-key | ocop certificates verify --url URL --keys FILE',
    positionals: ['<ACTION>'],
    help: `daily       Runs the day's re-evaluation and expiry reminders (to the producer and the province
            office, through the outbox) and brings the products' star ratings in line with the
            certificates in force. The server does this by itself once a day; running it again the
            same day sends nothing twice.
rotate-key  Retires the key that signs certificate QR codes and makes a new one. Old keys stay
            published at /.well-known/ocop-keys.json, so QR codes already printed still verify.
verify      Checks a scanned certificate URL (--url) against saved public keys (--keys: the JSON of
            /.well-known/ocop-keys.json), without any network or database: prints "authentic" (exit
            0) or "not authentic" (exit 1). The status (valid, expired, revoked) needs the register:
            open the URL.
Written to the audit log (actor: cli), but verify, which reads nothing.`,
    options: { url: { type: 'string' }, keys: { type: 'string' } },
    async run(values) {
      const action = (values._ as string[])[0];
      if (action === 'verify') {
        if (typeof values.url !== 'string' || typeof values.keys !== 'string')
          throw new UsageError('verify needs --url and --keys');
        const result = verifyOffline(String(values.url), fs.readFileSync(String(values.keys), 'utf8'));
        console.log(result.authentic ? `authentic: ${result.detail}` : `not authentic: ${result.detail}`);
        if (!result.authentic) process.exitCode = 1;
        return;
      }
      if (action !== 'daily' && action !== 'rotate-key')
        throw new UsageError(`unknown action "${action}": daily, rotate-key or verify`);
      const config = loadConfig();
      const database = await openDatabase(databaseTarget(config));
      try {
        await migrate(database);
        const app = await buildApp({ config, database, logger: createLogger('warn') });
        const context = { actor: { type: 'system' as const, label: 'cli' } };
        if (action === 'daily') {
          const result = await app.certification.reminders.run(context);
          console.log(
            `${result.day}: ${result.remindersSent} reminders sent (${result.mails} mails), ${result.productsUpdated} star ratings updated.`,
          );
        } else {
          console.log(
            `New signing key ${await app.certification.keys.rotate(context)}; earlier keys stay published.`,
          );
        }
        await app.server.close();
      } finally {
        await database.close();
      }
    },
  },
  user: {
    summary: 'Create a user: ocop user add --email E --password P --role R [--scope CODE]',
    usage:
      'ocop user add --email E --password P --role R [--scope CODE] [--name NAME] [--phone PHONE] [--producer ID]',
    help: `Creates an active user. Roles: ${ROLES.join(', ')}.
--scope is the 2025 province code for province_office (e.g. 96) and the 2025 commune code for
commune_officer (e.g. 32002); --producer is the producer id for a producer account. The password
must have at least 10 characters. The creation is written to the audit log (actor: cli).`,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      scope: { type: 'string' },
      name: { type: 'string' },
      phone: { type: 'string' },
      producer: { type: 'string' },
    },
    positionals: ['add'],
    async run(values) {
      for (const required of ['email', 'password', 'role']) {
        if (typeof values[required] !== 'string') throw new UsageError(`--${required} is required`);
      }
      const role = values.role as Role;
      if (!(ROLES as readonly string[]).includes(role))
        throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const database = await openDatabase(databaseTarget(loadConfig()));
      try {
        await migrate(database);
        const adminUnits = createAdminUnitsModule(database);
        await adminUnits.seed();
        const identity = createIdentityModule(database, {
          adminUnits: adminUnits.service,
          publicUrl: loadConfig().publicUrl,
        });
        const email = values.email as string;
        const user = await identity.service
          .createUser({ actor: { type: 'system', label: 'cli' } }, null, {
            email,
            password: values.password as string,
            role,
            scopeCode: (values.scope as string | undefined) ?? null,
            name: (values.name as string | undefined) ?? email.split('@')[0]!,
            phone: (values.phone as string | undefined) ?? null,
            producerId: (values.producer as string | undefined) ?? null,
          })
          .catch((error: unknown) => {
            if (error instanceof DomainError) {
              const fields = error.fields.map((f) => `${f.name}: ${f.rule}`).join(', ');
              throw new UsageError(`${error.code}${fields ? ` (${fields})` : ''}`);
            }
            throw error;
          });
        console.log(
          `Created ${user.role} ${user.email}${user.scopeCode ? ` for ${user.scopeCode}` : ''} (id ${user.id})`,
        );
      } finally {
        await database.close();
      }
    },
  },
  token: {
    summary: 'Create an API token: ocop token create --email E --name N',
    usage: 'ocop token create --email E --name N',
    help: `Creates an API token for the active user with that e-mail, acting within that user's scope,
and prints it as the last line of output (it is shown only once; only its hash is stored).
Send it as "Authorization: Bearer <token>". Revoke it on the account page or with
DELETE /api/v1/tokens/{id}.`,
    options: { email: { type: 'string' }, name: { type: 'string' } },
    positionals: ['create'],
    async run(values) {
      if (typeof values.email !== 'string') throw new UsageError('--email is required');
      if (typeof values.name !== 'string' || !values.name.trim()) throw new UsageError('--name is required');
      const database = await openDatabase(databaseTarget(loadConfig()));
      try {
        await migrate(database);
        const adminUnits = createAdminUnitsModule(database);
        const identity = createIdentityModule(database, {
          adminUnits: adminUnits.service,
          publicUrl: loadConfig().publicUrl,
        });
        const created = await identity.service
          .createTokenFor({ actor: { type: 'system', label: 'cli' } }, values.email, values.name)
          .catch((error: unknown) => {
            if (error instanceof DomainError)
              throw new UsageError(`no active user with e-mail ${values.email as string}`);
            throw error;
          });
        console.log(
          `Token "${created.record.name}" (id ${created.record.id}) for ${values.email as string}:`,
        );
        console.log(created.token);
      } finally {
        await database.close();
      }
    },
  },
  backup: {
    summary: 'Write a backup of the whole database to a file',
    usage: 'ocop backup --out FILE',
    help: `Embedded database (PGlite): writes the data directory as a .tar.gz that \`ocop restore\`
loads. Stop the platform first (the data directory is locked while it runs).
PostgreSQL (DATABASE_URL set): runs pg_dump in its custom format (needs the PostgreSQL client
tools); restore it with pg_restore.
Uploaded files (OCOP_DATA_DIR/documents) are not in the backup: copy that folder too.`,
    options: { out: { type: 'string', short: 'o' } },
    async run(values) {
      const out = values.out as string | undefined;
      if (!out) throw new UsageError('--out FILE is required');
      const config = loadConfig();
      if (config.databaseUrl) {
        await pgDump(config.databaseUrl, out);
      } else {
        const database = await openDatabase(databaseTarget(config));
        try {
          const dump = await database.dump!();
          try {
            fs.writeFileSync(out, Buffer.from(await dump.arrayBuffer()));
          } catch (error) {
            throw new UsageError(`cannot write ${out} (${(error as NodeJS.ErrnoException).code})`);
          }
        } finally {
          await database.close();
        }
      }
      console.log(`Backup written to ${out} (${fs.statSync(out).size} bytes)`);
      const documents = path.join(config.dataDir, 'documents');
      if (fs.existsSync(documents)) {
        console.log(
          `Uploaded documents are not in this file: copy ${documents} as well (its files never change once written).`,
        );
      }
    },
  },
  restore: {
    summary: 'Create the embedded database from a backup file',
    usage: 'ocop restore --from FILE',
    help: `Creates the embedded database in OCOP_DATA_DIR from a file written by \`ocop backup\`.
Refuses to overwrite: OCOP_DATA_DIR must not hold a database yet (move the old one away first).
For PostgreSQL use pg_restore.`,
    options: { from: { type: 'string', short: 'f' } },
    async run(values) {
      const from = values.from as string | undefined;
      if (!from) throw new UsageError('--from FILE is required');
      const config = loadConfig();
      if (config.databaseUrl)
        throw new UsageError('restore loads the embedded database; for PostgreSQL use pg_restore');
      if (!fs.existsSync(from)) throw new UsageError(`${from} does not exist`);
      if (fs.existsSync(path.join(config.dataDir, 'pglite', 'PG_VERSION'))) {
        throw new UsageError(`${config.dataDir} already holds a database; move it away first`);
      }
      const database = await openDatabase({
        engine: 'pglite',
        dataDir: config.dataDir,
        loadDataDir: new Blob([fs.readFileSync(from)]),
      });
      try {
        const status = await migrationStatus(database);
        console.log(
          `Restored into ${config.dataDir} (${status.applied.length} migrations applied, ${status.pending.length} pending: they run at the next start)`,
        );
      } finally {
        await database.close();
      }
    },
  },
};

/** A command used wrongly: the message and the usage, exit code 64. */
class UsageError extends Error {}

function pgDump(url: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', `--file=${out}`, `--dbname=${url}`], {
      stdio: 'inherit',
    });
    child.on('error', (error) =>
      reject(new UsageError(`cannot run pg_dump (${error.message}); install the PostgreSQL client tools`)),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new UsageError(`pg_dump failed with exit code ${code}`)),
    );
  });
}

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
    let positionals: string[];
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
    values._ = positionals;
    const expected = command.positionals ?? [];
    if (
      !values.help &&
      // "<NAME>" in a command's positionals takes any value (a file name…)
      (positionals.length !== expected.length ||
        positionals.some((p, i) => !expected[i]?.startsWith('<') && p !== expected[i]))
    ) {
      throw new Error(
        `expected ${expected.length ? `"${expected.join(' ')}"` : 'no arguments'}, got "${positionals.join(' ')}"`,
      );
    }
  } catch (error) {
    console.error(`ocop ${name}: ${(error as Error).message}\nUsage: ${command.usage}`);
    process.exitCode = 64;
    return;
  }
  if (values.help) {
    console.log(`Usage: ${command.usage}\n\n${command.help}\n\n${ENVIRONMENT}`);
    return;
  }
  try {
    await command.run(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`ocop ${name}: ${error.message}\nUsage: ${command.usage}`);
    process.exitCode = 64;
  }
}

if (isMain(import.meta.url)) {
  runCli(process.argv.slice(2)).catch(exitOnStartupError);
}
