import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createProducer, signIn, startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { builtInCriteria, findForm, isMetOrNot } from './criteria.ts';

after(dropOwnTemplates);

/** The best option of every leaf of a set: 100 points. */
function bestSheet(set: number): Record<string, number> {
  const form = findForm(builtInCriteria(), set)!;
  const choices: Record<string, number> = {};
  for (const leaf of form.leaves) {
    if (isMetOrNot(leaf)) choices[leaf.code] = 1;
    else {
      // set 26: every answer from the first case
      const options = leaf.options
        .map((o, i) => ({ ...o, i }))
        .filter((o) => !o.case || o.case === leaf.options.find((x) => x.case)?.case);
      choices[leaf.code] = options.reduce(
        (best, o) => (o.points > (leaf.options[best]?.points ?? -1) ? o.i : best),
        options[0]!.i,
      );
    }
  }
  return choices;
}

for (const engine of testEngines()) {
  describe(`criteria and scoring (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(engine);
    });
    after(() => app?.close());
    const post = (url: string, payload: unknown, remoteAddress = '10.1.1.1') =>
      app.server.inject({ method: 'POST', url, payload: payload as object, remoteAddress });

    test('the versions and forms are public; unknown ones are 404', async () => {
      const list = (await app.server.inject({ url: '/api/v1/criteria-sets' })).json();
      assert.equal(list.items[0].version, '26-2026');
      assert.equal(list.items[0].sets.length, 26);
      assert.ok(
        list.items[0].corrections.some(
          (c: { set: number; corrected: number }) => c.set === 4 && c.corrected === 3,
        ),
      );
      const form = (await app.server.inject({ url: '/api/v1/criteria-sets/26-2026/11' })).json();
      assert.equal(form.name, 'Chè tươi, chè chế biến');
      assert.equal((await app.server.inject({ url: '/api/v1/criteria-sets/26-2099/11' })).statusCode, 404);
      assert.equal((await app.server.inject({ url: '/api/v1/criteria-sets/26-2026/27' })).statusCode, 404);
      const page = await app.server.inject({ url: '/criteria', headers: { accept: 'text/html' } });
      assert.match(page.body, /data-testid="corrections"/);
    });

    test('scoring: the official rules, and every fault of a bad sheet named (422)', async () => {
      const best = bestSheet(8);
      const res = await post('/api/v1/criteria-sets/26-2026/08/score', {
        sheets: [{ choices: best }, { choices: best }],
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        [res.json().score, res.json().band, res.json().stars, res.json().spreadExceeded],
        [100, 5, 5, false],
      );
      const [first, second, ...rest] = Object.keys(best);
      const { [first!]: _dropped, ...missingOne } = best;
      const bad = await post('/api/v1/criteria-sets/26-2026/08/score', {
        sheets: [{ choices: { ...missingOne, [second!]: 99, 'x.9': 0 } }],
      });
      assert.equal(bad.statusCode, 422, bad.body);
      const faults = bad.json().errors.map((e: { name: string; rule: string }) => `${e.name}:${e.rule}`);
      assert.ok(
        faults.some((f: string) => f.includes(first!) && f.endsWith(':missing')),
        faults.join(' '),
      );
      assert.ok(
        faults.some((f: string) => f.includes(second!) && f.endsWith(':optionOutOfRange')),
        faults.join(' '),
      );
      assert.ok(
        faults.some((f: string) => f.includes('x.9') && f.endsWith(':unknownCriterion')),
        faults.join(' '),
      );
      void rest;
      assert.equal((await post('/api/v1/criteria-sets/26-2026/08/score', { sheets: [] })).statusCode, 422);
      const tooMany = Array.from({ length: 51 }, () => ({ choices: best }));
      assert.equal(
        (await post('/api/v1/criteria-sets/26-2026/08/score', { sheets: tooMany })).statusCode,
        422,
      );
    });

    test('the public scoring is rate-limited per address', async () => {
      const url = '/api/v1/criteria-sets/26-2026/08/score';
      let last = 0;
      for (let i = 0; i < 61; i++) last = (await post(url, { sheets: [] }, '10.9.9.9')).statusCode;
      assert.equal(last, 429);
      assert.equal(
        (await post(url, { sheets: [] }, '10.9.9.8')).statusCode,
        422,
        'another address is not limited',
      );
    });

    test('the printable form and its PDF', async () => {
      const page = await app.server.inject({ url: '/criteria/26-2026/11', headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Nguồn nguyên liệu/);
      const pdf = await app.server.inject({ url: '/criteria/26-2026/11/pdf' });
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    });

    test('a producer self-assesses, sees the likely stars and next steps, saves it in Mẫu 02', async () => {
      const producerId = (await createProducer(app)).id;
      const owner = await signIn(app, { email: 'chu@tuchamdiem.vn', role: 'producer', producerId });
      const product = await app.server.inject({
        method: 'POST',
        url: '/api/v1/products',
        headers: { cookie: owner.cookie },
        payload: { producerId, name: 'Khô cá bổi tự chấm', productSet: 8 },
      });
      const dossier = await app.server.inject({
        method: 'POST',
        url: '/api/v1/dossiers',
        headers: { cookie: owner.cookie },
        payload: { productId: product.json().id, kind: 'first_evaluation' },
      });
      const id = dossier.json().id;
      const form = findForm(builtInCriteria(), 8)!;
      // the lowest option everywhere: a low score, with gates failing for 3 stars and next steps
      const body = new URLSearchParams({ _csrf: owner.csrf, action: 'save' });
      for (const leaf of form.leaves) body.set(`c/${leaf.code}`, '0');
      const saved = await app.server.inject({
        method: 'POST',
        url: `/dossiers/${id}/self-assessment`,
        headers: {
          cookie: owner.cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: body.toString(),
      });
      assert.equal(saved.statusCode, 200, saved.body.slice(0, 400));
      assert.match(saved.body, /data-testid="self-assessment-result"/);
      assert.match(saved.body, /data-testid="next-steps"/);
      const stored = await sql<{ scoring: { version: string; set: number; stars: number } }>`
        select self_assessment->'scoring' as scoring from products.dossier where id = ${id}`.execute(
        app.database.db,
      );
      assert.equal(stored.rows[0]!.scoring.version, '26-2026', 'the score keeps its criteria version');
      assert.equal(stored.rows[0]!.scoring.set, 8);
      const incomplete = await app.server.inject({
        method: 'POST',
        url: `/dossiers/${id}/self-assessment`,
        headers: {
          cookie: owner.cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: owner.csrf, action: 'estimate' }).toString(),
      });
      assert.equal(incomplete.statusCode, 422);
      assert.match(incomplete.body, /tiêu chí chưa chọn mức/);
    });

    test('a criteria version is published whole and never changes', async () => {
      const version = builtInCriteria();
      const raw = await import('node:fs').then((fs) =>
        JSON.parse(
          fs.readFileSync(new URL('../../../data/criteria/26-2026/08.json', import.meta.url), 'utf8'),
        ),
      );
      const bundle = { slug: '26-2026-thu', title: version.title, sets: [raw], corrections: [] };
      const context = { actor: { type: 'system' as const, label: 'test' } };
      const published = await app.evaluation.criteria.importVersion(context, bundle);
      assert.equal(published.sets.length, 1);
      await assert.rejects(app.evaluation.criteria.importVersion(context, bundle), /criteria_version_exists/);
      const broken = { ...bundle, slug: '26-2026-hong', sets: [{ ...raw, parts: raw.parts.slice(1) }] };
      await assert.rejects(
        app.evaluation.criteria.importVersion(context, broken),
        /criteria_version_invalid/,
      );
      await assert.rejects(
        sql`update evaluation.criteria_version set title = 'x'`.execute(app.database.db),
        'the database refuses to change a published version',
      );
      const form = await app.server.inject({ url: '/api/v1/criteria-sets/26-2026-thu/08' });
      assert.equal(form.statusCode, 200);
    });
  });
}
