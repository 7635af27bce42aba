import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { dropOwnTemplates, freshDatabase, testEngines } from '../../../tests/support/db.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { parseCsv, seedAdminUnits } from './admin-units.seed.ts';

after(dropOwnTemplates);

test('CSV: header row, quoted fields with commas and quotes, CRLF, BOM, trailing newline', () => {
  const rows = parseCsv('\uFEFFa,b,c\r\n1,"x, ""y""",\r\n2,z,3\n');
  assert.deepEqual(rows, [
    { a: '1', b: 'x, "y"', c: '' },
    { a: '2', b: 'z', c: '3' },
  ]);
  assert.deepEqual(parseCsv(''), []);
});

for (const engine of testEngines()) {
  describe(`admin units seed (${engine})`, () => {
    test('loads every unit and succession once; a second run changes nothing; --force reloads', async () => {
      const database = await freshDatabase(engine, { blank: true });
      try {
        await migrate(database);
        const first = await seedAdminUnits(database);
        assert.equal(first.loaded, true);
        assert.deepEqual(first.counts, {
          '2025.province': 34,
          '2025.commune': 3321,
          'pre2025.province': 63,
          'pre2025.district': 696,
          'pre2025.commune': 10035,
        });
        const successions = await sql<{
          n: number;
        }>`select count(*)::int as n from admin_units.succession`.execute(database.db);
        assert.equal(successions.rows[0]?.n, 10592 + 63);
        const second = await seedAdminUnits(database);
        assert.equal(second.loaded, false);
        assert.deepEqual(second.counts, first.counts);
        const loads = await sql<{
          n: number;
        }>`select count(*)::int as n from platform.audit_log where action = 'reference_data.load'`.execute(
          database.db,
        );
        assert.equal(loads.rows[0]?.n, 1, 'the load is on record, the skipped run is not');
        const forced = await seedAdminUnits(database, { force: true });
        assert.equal(forced.loaded, true);
        assert.deepEqual(forced.counts, first.counts);
        const again = await sql<{ n: number }>`select count(*)::int as n from admin_units.succession`.execute(
          database.db,
        );
        assert.equal(again.rows[0]?.n, 10592 + 63);
      } finally {
        await database.destroy();
      }
    });
  });
}

test('CSV: any table written with standard quoting reads back the same (property)', () => {
  const cell = fc.string({ unit: fc.constantFrom('a', 'ă', 'Đ', ',', '"', '\n', '\r\n', ' ', '1') });
  fc.assert(
    fc.property(
      fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
      (rows) => {
        const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
        const text = ['h1,h2,h3', ...rows.map((row) => row.map(quote).join(','))].join('\r\n');
        const expected = rows.map((row) => ({ h1: row[0], h2: row[1], h3: row[2] }));
        assert.deepEqual(parseCsv(text), expected);
      },
    ),
  );
});
