import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { loadDemo } from './demo.ts';

after(dropOwnTemplates);

for (const engine of testEngines()) {
  describe(`demo data (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(engine);
    });
    after(() => app?.close());

    test('ocop demo loads the Cà Mau set, marked as demo; loading again adds nothing', async () => {
      const context = { actor: { type: 'system' as const, label: 'test' } };
      const first = await loadDemo(app.database.db, { producers: app.producers }, context);
      assert.deepEqual(first, { producers: 31, products: 78 });
      await loadDemo(app.database.db, { producers: app.producers }, context);
      const counts = await sql<{ producers: number; products: number; demo: number; coded: number }>`
        select (select count(*)::int from producers.producer) as producers,
               (select count(*)::int from products.product) as products,
               (select count(*)::int from products.product where is_demo) as demo,
               (select count(*)::int from products.product where product_code like '96-%') as coded`.execute(
        app.database.db,
      );
      assert.deepEqual(counts.rows[0], { producers: 31, products: 78, demo: 78, coded: 78 });
      const salt = await app.server.inject({
        url: `/api/v1/products?q=${encodeURIComponent('muoi bac lieu')}&stars=5`,
      });
      assert.deepEqual(
        salt.json().items.map((p: { name: string; isDemo: boolean }) => [p.name, p.isDemo]),
        [
          ['Muối hạt Bạc Liêu', true],
          ['Muối tinh Bạc Liêu', true],
        ],
      );
      const page = await app.server.inject({ url: '/products', headers: { accept: 'text/html' } });
      assert.match(page.body, /Dữ liệu minh hoạ/);
    });
  });
}
