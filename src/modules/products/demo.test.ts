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
      assert.deepEqual([first.producers, first.products, first.items.length], [31, 78, 78]);
      // the demo certificates (ocop demo loads them next): one per product whose year is known
      assert.equal(await app.certification.loadDemo(context, first.items), 74);
      const again = await loadDemo(app.database.db, { producers: app.producers }, context);
      assert.deepEqual(again.items, first.items);
      assert.equal(await app.certification.loadDemo(context, again.items), 0);
      const certificates = await sql<{ all: number; demo: number; numbered: number }>`
        select count(*)::int as all, count(*) filter (where is_demo)::int as demo,
               count(*) filter (where number like 'DEMO-96-%')::int as numbered
        from certification.certificate`.execute(app.database.db);
      assert.deepEqual(certificates.rows[0], { all: 74, demo: 74, numbered: 74 });
      // the products' stars follow the certificates in force today: the 2020–2021 ones expired
      const expired = await app.certification.certificates.list({ status: ['expired'], limit: 200 });
      assert.ok(expired.items.length > 0);
      for (const c of expired.items)
        assert.equal(
          (await app.products.products.forCertificates([c.productId])).get(c.productId)?.stars,
          null,
        );
      const counts = await sql<{ producers: number; products: number; demo: number; coded: number }>`
        select (select count(*)::int from producers.producer) as producers,
               (select count(*)::int from products.product) as products,
               (select count(*)::int from products.product where is_demo) as demo,
               (select count(*)::int from products.product where product_code like '96-%') as coded`.execute(
        app.database.db,
      );
      assert.deepEqual(counts.rows[0], { producers: 31, products: 78, demo: 78, coded: 78 });
      // the two 5★ salts are the ministry's, certified in force
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
