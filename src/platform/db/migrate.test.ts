import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { dropOwnTemplates, freshDatabase, testEngines } from '../../../tests/support/db.ts';
import { DatabaseUnavailableError, openDatabase } from './database.ts';
import { MigrationError, migrate, migrationStatus, readMigrationFiles } from './migrate.ts';

after(dropOwnTemplates);

function migrationsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-migrations-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

async function tableExists(database: { db: Parameters<ReturnType<typeof sql>['execute']>[0] }, name: string) {
  const result = await sql<{ present: boolean }>`select to_regclass(${name}) is not null as present`.execute(
    database.db,
  );
  return result.rows[0]?.present ?? false;
}

for (const engine of testEngines()) {
  describe(`migrations (${engine})`, () => {
    test('a blank database gets every migration, once, and the extensions', async () => {
      const database = await freshDatabase(engine, { blank: true });
      try {
        const all = readMigrationFiles().map((f) => f.name);
        assert.deepEqual(await migrationStatus(database), { applied: [], pending: all });
        assert.deepEqual(await migrate(database), all);
        assert.deepEqual(await migrate(database), []);
        assert.deepEqual(await migrationStatus(database), { applied: all, pending: [] });
        const extensions = await sql<{
          extname: string;
        }>`select extname from pg_extension order by extname`.execute(database.db);
        for (const name of ['citext', 'pg_trgm', 'pgcrypto', 'unaccent']) {
          assert.ok(
            extensions.rows.some((row) => row.extname === name),
            name,
          );
        }
        const folded = await sql<{
          s: string;
        }>`select platform.search_text('Khô Cá Bổi Đầm Dơi') as s`.execute(database.db);
        assert.equal(folded.rows[0]?.s, 'kho ca boi dam doi');
      } finally {
        await database.destroy();
      }
    });

    test('a failing migration is rolled back whole; earlier ones stay', async () => {
      const database = await freshDatabase(engine, { blank: true });
      const dir = migrationsDir({
        '0001_good.sql': 'create schema t; create table t.a (id int primary key);',
        '0002_bad.sql': 'create table t.b (id int); insert into t.nope values (1);',
      });
      try {
        const files = readMigrationFiles(dir);
        await assert.rejects(migrate(database, files), (error: unknown) => {
          assert.ok(error instanceof MigrationError);
          assert.match(error.message, /0002_bad\.sql failed and was rolled back/);
          return true;
        });
        assert.equal(await tableExists(database, 't.a'), true);
        assert.equal(await tableExists(database, 't.b'), false);
        assert.deepEqual(await migrationStatus(database, files), {
          applied: ['0001_good.sql'],
          pending: ['0002_bad.sql'],
        });
      } finally {
        await database.destroy();
        fs.rmSync(dir, { recursive: true });
      }
    });

    test('an applied migration that was edited, or one this version does not know, stops start-up', async () => {
      const database = await freshDatabase(engine, { blank: true });
      const dir = migrationsDir({ '0001_a.sql': 'create schema t;' });
      try {
        await migrate(database, readMigrationFiles(dir));
        fs.writeFileSync(path.join(dir, '0001_a.sql'), 'create schema t2;');
        await assert.rejects(migrate(database, readMigrationFiles(dir)), /was changed after it was applied/);
        fs.rmSync(path.join(dir, '0001_a.sql'));
        fs.writeFileSync(path.join(dir, '0000_z.sql'), 'select 1;');
        await assert.rejects(
          migrationStatus(database, readMigrationFiles(dir)),
          /does not know \(0001_a\.sql\)/,
        );
      } finally {
        await database.destroy();
        fs.rmSync(dir, { recursive: true });
      }
    });

    test('a badly named migration file is refused', () => {
      const dir = migrationsDir({ 'add-table.sql': 'select 1;' });
      assert.throws(() => readMigrationFiles(dir), /must look like 0001_what_it_does\.sql/);
      fs.rmSync(dir, { recursive: true });
    });
  });
}

if (testEngines().includes('postgres')) {
  test('two processes migrating at once: the lock lets one apply, the other finds nothing to do (postgres)', async () => {
    const target = await freshDatabase('postgres', { blank: true });
    const second = await openDatabase({ engine: 'postgres', url: target.url!, poolSize: 2 });
    try {
      const results = await Promise.all([migrate(target), migrate(second)]);
      const all = readMigrationFiles().map((f) => f.name);
      assert.deepEqual(results.flat().sort(), all);
      assert.deepEqual((await migrationStatus(target)).pending, []);
    } finally {
      await second.close();
      await target.destroy();
    }
  });
}

test('a second process cannot open the same PGlite data directory', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-lock-'));
  fs.writeFileSync(path.join(dir, 'pglite.lock'), String(process.ppid)); // a live process holds it
  await assert.rejects(openDatabase({ engine: 'pglite', dataDir: dir }), (error: unknown) => {
    assert.ok(error instanceof DatabaseUnavailableError);
    assert.match(error.message, /in use by process/);
    return true;
  });
  fs.rmSync(dir, { recursive: true });
});
