import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';

after(dropOwnTemplates);

for (const engine of testEngines()) {
  describe(`admin units API (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(engine);
    });
    after(() => app?.close());

    const get = async (url: string) => {
      const res = await app.server.inject(url);
      return { status: res.statusCode, body: res.json(), headers: res.headers };
    };

    test('era=2025&level=province → the 34 provinces', async () => {
      const { status, body } = await get('/api/v1/admin-units?era=2025&level=province');
      assert.equal(status, 200);
      assert.equal(body.total, 34);
      assert.equal(body.items.length, 34);
      const caMau = body.items.find((u: { code: string }) => u.code === '96');
      assert.deepEqual(caMau, {
        era: '2025',
        code: '96',
        level: 'province',
        type: 'tinh',
        name: 'Cà Mau',
        fullName: 'Tỉnh Cà Mau',
        nameEn: 'Ca Mau',
        fullNameEn: 'Ca Mau Province',
        parentCode: null,
        provinceCode: '96',
      });
    });

    test('level=commune&parent=96 → Cà Mau’s 64 communes (the default era is 2025)', async () => {
      const { body } = await get('/api/v1/admin-units?level=commune&parent=96');
      assert.equal(body.total, 64);
      assert.equal(body.items.length, 64);
      assert.ok(
        body.items.every(
          (u: { provinceCode: string; era: string }) => u.provinceCode === '96' && u.era === '2025',
        ),
      );
      assert.equal(body.items.filter((u: { type: string }) => u.type === 'phuong').length, 9);
    });

    test('pre-2025: 63 provinces, 696 districts, 10,035 communes; Cà Mau’s 9 districts', async () => {
      assert.equal((await get('/api/v1/admin-units?era=pre2025&level=province')).body.total, 63);
      assert.equal((await get('/api/v1/admin-units?era=pre2025&level=district&limit=1')).body.total, 696);
      assert.equal((await get('/api/v1/admin-units?era=pre2025&level=commune&limit=1')).body.total, 10035);
      assert.equal((await get('/api/v1/admin-units?era=2025&level=commune&limit=1')).body.total, 3321);
      const districts = (await get('/api/v1/admin-units?era=pre2025&level=district&parent=96')).body;
      assert.equal(districts.total, 9);
      const communes = (await get('/api/v1/admin-units?era=pre2025&level=commune&parent=964')).body;
      assert.ok(communes.total > 0);
      assert.ok(communes.items.every((u: { parentCode: string }) => u.parentCode === '964'));
    });

    test('paging: limit and offset walk the whole list without overlap', async () => {
      const first = (await get('/api/v1/admin-units?level=commune&parent=96&limit=40')).body;
      const second = (await get('/api/v1/admin-units?level=commune&parent=96&limit=40&offset=40')).body;
      assert.equal(first.items.length, 40);
      assert.equal(second.items.length, 24);
      const codes = new Set([...first.items, ...second.items].map((u: { code: string }) => u.code));
      assert.equal(codes.size, 64);
    });

    test('q= searches names ignoring diacritics and case', async () => {
      for (const q of ['ca mau', 'CÀ MAU', 'Cà Mau', 'ca%20mau']) {
        const { body } = await get(`/api/v1/admin-units?q=${encodeURIComponent(decodeURIComponent(q))}`);
        assert.equal(body.items[0]?.code, '96', q);
        assert.equal(body.fuzzy, false);
      }
      const dam = (await get(`/api/v1/admin-units?q=${encodeURIComponent('dam doi')}&parent=96`)).body;
      assert.ok(
        dam.items.some((u: { name: string }) => u.name === 'Đầm Dơi'),
        'đ folds to d',
      );
      const old = (await get(`/api/v1/admin-units?era=pre2025&q=${encodeURIComponent('huyen nam can')}`))
        .body;
      assert.ok(old.items.some((u: { fullName: string }) => u.fullName === 'Huyện Năm Căn'));
    });

    test('a misspelt name finds the closest spellings, flagged fuzzy', async () => {
      const { body } = await get(`/api/v1/admin-units?level=province&q=${encodeURIComponent('ca maau')}`);
      assert.equal(body.fuzzy, true);
      assert.equal(body.items[0]?.code, '96');
    });

    test('LIKE wildcards in q are taken literally', async () => {
      const { status, body } = await get(`/api/v1/admin-units?q=${encodeURIComponent('%_')}`);
      assert.equal(status, 200);
      assert.equal(body.total, 0);
    });

    test('a pre-2025 commune lists its 2025 successor with the merge flag', async () => {
      const { status, body } = await get('/api/v1/admin-units/32002?era=pre2025');
      assert.equal(status, 200);
      assert.equal(body.level, 'commune');
      assert.equal(body.parent.level, 'district');
      assert.ok(body.successors.length >= 1);
      for (const s of body.successors) {
        assert.equal(s.era, '2025');
        assert.ok(s.merge === 'full' || s.merge === 'partial');
      }
      assert.equal(body.predecessors, undefined);
    });

    test('a 2025 commune lists its predecessors; a 2025 province its old provinces', async () => {
      const commune = (await get('/api/v1/admin-units/32002')).body;
      assert.equal(commune.era, '2025');
      assert.equal(commune.parent.code, '96');
      assert.ok(commune.predecessors.length >= 1);
      assert.ok(commune.predecessors.every((p: { era: string; level: string }) => p.era === 'pre2025'));
      const province = (await get('/api/v1/admin-units/96')).body;
      assert.deepEqual(province.predecessors.map((p: { code: string }) => p.code).sort(), ['95', '96']);
      assert.ok(province.predecessors.every((p: { merge: string }) => p.merge === 'full'));
    });

    test('a pre-2025 district lists the communes that took over its communes; island districts their special zone', async () => {
      const district = (await get('/api/v1/admin-units/964?era=pre2025')).body;
      assert.equal(district.parent.code, '96');
      assert.ok(district.successors.length > 1);
      assert.ok(district.successors.every((s: { merge: string }) => s.merge === 'partial'));
      const conDao = (await get('/api/v1/admin-units/755?era=pre2025')).body;
      assert.deepEqual(
        conDao.successors.map((s: { code: string; type: string; merge: string }) => [
          s.code,
          s.type,
          s.merge,
        ]),
        [['26732', 'dac_khu', 'full']],
      );
    });

    test('POST /lookup converts many codes at once, in order, unknown ones as null', async () => {
      const res = await app.server.inject({
        method: 'POST',
        url: '/api/v1/admin-units/lookup',
        payload: { era: 'pre2025', codes: ['32002', '99999', '96', '32002', '755'] },
      });
      assert.equal(res.statusCode, 200);
      const items = res.json().items;
      assert.deepEqual(
        items.map((i: { code: string; unit: unknown }) => [i.code, i.unit !== null]),
        [
          ['32002', true],
          ['99999', false],
          ['96', true],
          ['32002', true],
          ['755', true],
        ],
      );
      const single = (await get('/api/v1/admin-units/32002?era=pre2025')).body;
      assert.deepEqual(items[0].unit, single, 'the same answer as the single lookup');
      assert.equal(items[4].unit.successors[0].code, '26732');
    });

    test('unknown code → 404 problem; malformed code, era or level → 400', async () => {
      const missing = await get('/api/v1/admin-units/99999?lang=en');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'admin_unit_not_found');
      assert.equal(missing.body.title, 'No administrative unit with code 99999');
      assert.equal((await get('/api/v1/admin-units/964')).status, 404, 'no districts in 2025');
      for (const url of [
        '/api/v1/admin-units/9',
        '/api/v1/admin-units/abc',
        '/api/v1/admin-units/960000',
        '/api/v1/admin-units/96?era=2020',
        '/api/v1/admin-units?era=1975',
        '/api/v1/admin-units?level=hamlet',
        '/api/v1/admin-units?parent=32002',
        '/api/v1/admin-units?limit=0',
        '/api/v1/admin-units?limit=abc',
        '/api/v1/admin-units?offset=-1',
      ]) {
        const res = await get(url);
        assert.equal(res.status, 400, url);
        assert.equal(res.body.code, 'validation_failed', url);
        assert.ok(res.body.errors.length > 0, url);
      }
      const district2025 = await get('/api/v1/admin-units?era=2025&level=district');
      assert.equal(district2025.status, 400);
      assert.equal(district2025.body.code, 'admin_unit_level_not_in_era');
    });

    test('pages: browse provinces, search, and a unit with its succession, in both languages', async () => {
      const html = { accept: 'text/html' };
      const list = await app.server.inject({ url: '/admin-units', headers: html });
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Tỉnh Cà Mau/);
      const search = await app.server.inject({ url: '/admin-units?q=dam+doi', headers: html });
      assert.match(search.body, /Xã Đầm Dơi/);
      const unit = await app.server.inject({ url: '/admin-units/96?lang=en', headers: html });
      assert.match(unit.body, /Ca Mau Province/);
      assert.match(unit.body, /Formed from/);
      assert.match(unit.body, /Units within \(64\)/);
      const missing = await app.server.inject({ url: '/admin-units/99999', headers: html });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /<html lang="vi">/);
      const xss = await app.server.inject({
        url: `/admin-units?q=${encodeURIComponent('<script>x</script>')}`,
        headers: html,
      });
      assert.equal(xss.statusCode, 200);
      assert.doesNotMatch(xss.body, /<script>x/);
    });
  });
}
