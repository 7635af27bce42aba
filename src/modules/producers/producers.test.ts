import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { signIn, startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { taxCodeCheckDigit } from './tax-code.ts';

after(dropOwnTemplates);

/** A valid 10-digit tax code from 9 digits (the 10th is the check digit). */
const taxCode = (nine: string) => `${nine}${taxCodeCheckDigit(nine)}`;

for (const engine of testEngines()) {
  describe(`producers (${engine})`, () => {
    let app: TestApp;
    let province: { cookie: string };
    let commune: { cookie: string };
    let otherCommune: { cookie: string };
    before(async () => {
      app = await startTestApp(engine);
      province = await signIn(app, { email: 'tinh@camau.vn', role: 'province_office', scopeCode: '96' });
      commune = await signIn(app, { email: 'xa@camau.vn', role: 'commune_officer', scopeCode: '32002' });
      otherCommune = await signIn(app, {
        email: 'xakhac@camau.vn',
        role: 'commune_officer',
        scopeCode: '31825',
      });
    });
    after(() => app?.close());

    const call = (method: string, url: string, cookie: string, payload?: unknown) =>
      app.server.inject({
        method: method as 'GET',
        url,
        headers: { cookie },
        ...(payload ? { payload: payload as object } : {}),
      });
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from producers.producer`.execute(app.database.db))
        .rows[0]!.n;

    test('an officer registers a producer of its commune; the record is audited', async () => {
      const tax = taxCode('200123456'.slice(0, 9));
      const res = await call('POST', '/api/v1/producers', commune.cookie, {
        legalType: 'cooperative',
        legalName: '  Hợp tác xã   Tôm khô Rạch Gốc ',
        taxCode: tax,
        communeCode: '32002',
        foundedOn: '2015-03-20',
        workerCount: 25,
        trainedWorkerCount: 10,
        circularEconomy: true,
        circularEconomyDescription: 'Vỏ tôm làm phân bón cho vùng lúa',
        rawMaterialAreas: [
          {
            name: 'Vùng tôm sinh thái',
            communeCode: '32002',
            hectares: 120.5,
            certifications: [{ kind: 'organic', validFrom: '2024-01-01', validUntil: '2027-01-01' }],
          },
        ],
        salesChannels: [{ kind: 'shopee', url: 'https://shopee.vn/tomkhoracgoc', since: '2022-05-01' }],
      });
      assert.equal(res.statusCode, 201, res.body);
      const producer = res.json();
      assert.equal(producer.legalName, 'Hợp tác xã Tôm khô Rạch Gốc', 'spaces tidied');
      assert.equal(producer.provinceCode, '96', 'province from the commune');
      assert.equal(producer.rawMaterialAreas[0].hectares, 120.5);
      const logged = await sql<{ n: number }>`select count(*)::int as n from platform.audit_log
        where action = 'producer.create' and entity_id = ${producer.id}`.execute(app.database.db);
      assert.equal(logged.rows[0]!.n, 1);

      const again = await call('POST', '/api/v1/producers', province.cookie, {
        legalType: 'enterprise',
        legalName: 'Công ty khác',
        taxCode: tax,
        communeCode: '32002',
      });
      assert.equal(again.statusCode, 409, 'the same tax code twice');
      assert.equal(again.json().errors[0].name, 'taxCode');
    });

    test('bad input gets a 400 naming each field, and writes nothing', async () => {
      const before = await count();
      const res = await call('POST', '/api/v1/producers', province.cookie, {
        legalType: 'household',
        isSme: true,
        legalName: 'Hộ kinh doanh Sai',
        taxCode: '0312387100', // wrong check digit (0312387105 is valid)
        communeCode: '99999',
        oldCommuneCode: '99998',
        workerCount: 3,
        trainedWorkerCount: 5,
      });
      assert.equal(res.statusCode, 400, res.body);
      const fields = res
        .json()
        .errors.map((e: { name: string; rule: string }) => `${e.name}:${e.rule}`)
        .sort();
      assert.deepEqual(fields, [
        'communeCode:unknownCommune',
        'isSme:smeEnterpriseOnly',
        'oldCommuneCode:unknownOldCommune',
        'taxCode:taxCodeCheckDigit',
        'trainedWorkerCount:trainedWorkers',
      ]);
      const noId = await call('POST', '/api/v1/producers', province.cookie, {
        legalType: 'household',
        legalName: 'Không số',
        communeCode: '32002',
      });
      assert.equal(noId.statusCode, 400);
      assert.equal(noId.json().errors[0].rule, 'registrationOrTaxCode');
      assert.equal(await count(), before);
    });

    test('scope: a commune officer cannot register outside its commune, nor see another commune’s producers', async () => {
      const res = await call('POST', '/api/v1/producers', otherCommune.cookie, {
        legalType: 'cooperative',
        legalName: 'HTX ngoài xã',
        registrationNumber: '61A8001234',
        communeCode: '32002',
      });
      assert.equal(res.statusCode, 403);
      const list = await call('GET', '/api/v1/producers', otherCommune.cookie);
      assert.deepEqual(list.json().items, []);
      const mine = await call('GET', '/api/v1/producers', commune.cookie);
      const id = mine.json().items[0].id;
      assert.equal((await call('GET', `/api/v1/producers/${id}`, otherCommune.cookie)).statusCode, 404);
    });

    test('the producer’s own account reads and updates its record, with lost-update protection', async () => {
      const list = await call('GET', '/api/v1/producers?q=rach goc', commune.cookie);
      const producer = list.json().items[0];
      assert.equal(producer.legalName, 'Hợp tác xã Tôm khô Rạch Gốc', 'search ignores diacritics');
      const owner = await signIn(app, { email: 'htx@racgoc.vn', role: 'producer', producerId: producer.id });
      const patch = await call('PATCH', `/api/v1/producers/${producer.id}`, owner.cookie, {
        representativeName: 'Trần Văn Tôm',
        version: producer.version,
      });
      assert.equal(patch.statusCode, 200, patch.body);
      assert.equal(patch.json().representativeName, 'Trần Văn Tôm');
      assert.equal(patch.json().taxCode, producer.taxCode, 'fields not named stay');
      const stale = await call('PATCH', `/api/v1/producers/${producer.id}`, owner.cookie, {
        phone: '0912345678',
        version: producer.version,
      });
      assert.equal(stale.statusCode, 409, 'an edit made on an old copy is refused');
      const moves = await call('PATCH', `/api/v1/producers/${producer.id}`, owner.cookie, {
        communeCode: '00004',
        taxCode: taxCode('310123456'),
      });
      assert.equal(moves.statusCode, 422, 'its commune and identifiers are the officers’ to change');
      assert.deepEqual(
        moves
          .json()
          .errors.map((e: { name: string }) => e.name)
          .sort(),
        ['communeCode', 'taxCode'],
      );
      const edit = await app.server.inject({
        url: `/producers/${producer.id}/edit`,
        headers: { cookie: owner.cookie, accept: 'text/html' },
      });
      assert.match(edit.body, /<input id="f-taxCode"[^>]* disabled/, 'shown, not editable, for the producer');
      assert.match(edit.body, /<input type="hidden" name="taxCode" value="[0-9]{10}">/, 'and still sent');
      const saved = await app.server.inject({
        method: 'POST',
        url: `/producers/${producer.id}/edit`,
        headers: {
          cookie: owner.cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        // what the browser sends: the locked fields through their hidden copies, unchanged
        payload: new URLSearchParams({
          _csrf: owner.csrf,
          legalType: producer.legalType,
          legalName: producer.legalName,
          taxCode: producer.taxCode,
          communeCode: producer.communeCode,
          representativeName: 'Trần Văn Tôm',
          phone: '0901234567',
          circularEconomy: '1',
          circularEconomyDescription: 'Vỏ tôm làm phân bón cho vùng lúa',
          'rawMaterialAreas/0/name': 'Vùng tôm sinh thái',
          'rawMaterialAreas/0/communeCode': '32002',
          'rawMaterialAreas/0/hectares': '120,5',
          'rawMaterialAreas/0/certifications/0/kind': 'organic',
          'rawMaterialAreas/0/certifications/0/validFrom': '2024-01-01',
          'rawMaterialAreas/0/certifications/0/validUntil': '2027-01-01',
        }).toString(),
      });
      assert.equal(
        saved.statusCode,
        303,
        (saved.body.match(/class="(alert|error)"[^<]*<?[^<]*/g) ?? []).join(' | '),
      );
      const after = (await call('GET', `/api/v1/producers/${producer.id}`, owner.cookie)).json();
      assert.equal(after.phone, '0901234567');
      assert.deepEqual(after.rawMaterialAreas[0].certifications, [
        { kind: 'organic', number: null, issuer: null, validFrom: '2024-01-01', validUntil: '2027-01-01' },
      ]);
      const creates = await call('POST', '/api/v1/producers', owner.cookie, {
        legalType: 'household',
        legalName: 'Hộ khác',
        registrationNumber: '61A8009999',
        communeCode: '32002',
      });
      assert.equal(creates.statusCode, 403, 'a producer account does not register producers');
    });

    test('a sign-up is linked to a producer record chosen from its commune’s list', async () => {
      const { userId } = await app.identity.register(
        { actor: { type: 'anonymous' }, ip: '10.0.0.9' },
        {
          name: 'Lê Thị Tôm',
          email: 'dangky@racgoc.vn',
          password: 'mat-khau-dai-du',
          producerName: 'HTX Tôm khô Rạch Gốc',
          communeCode: '32002',
        },
      );
      const page = await app.server.inject({
        url: '/admin/registrations',
        headers: { cookie: commune.cookie, accept: 'text/html' },
      });
      const option = /<option value="([0-9a-f-]{36})">Hợp tác xã Tôm khô Rạch Gốc<\/option>/.exec(page.body);
      assert.ok(option, 'the commune’s producers are offered');
      assert.match(page.body, /href="\/producers\/new\?communeCode=32002"/);
      const elsewhere = await call('POST', '/api/v1/producers', province.cookie, {
        legalType: 'cooperative',
        legalName: 'HTX ở phường khác',
        registrationNumber: '61A8077777',
        communeCode: '31825',
      });
      const wrong = await call('POST', `/api/v1/registrations/${userId}/decision`, commune.cookie, {
        decision: 'approved',
        producerId: elsewhere.json().id,
      });
      assert.equal(wrong.statusCode, 400, 'only a producer of the commune it signed up in');
      const decided = await call('POST', `/api/v1/registrations/${userId}/decision`, commune.cookie, {
        decision: 'approved',
        producerId: option[1],
      });
      assert.equal(decided.statusCode, 200, decided.body);
      assert.equal(decided.json().producerId, option[1]);
    });

    test('lists: filters, typo-tolerant search and cursor paging', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await call('POST', '/api/v1/producers', province.cookie, {
          legalType: i % 2 ? 'household' : 'enterprise',
          legalName: `Cơ sở Mắm ${['Ba Khía', 'Tôm Chua', 'Cá Lóc', 'Ruốc', 'Cá Sặc'][i]}`,
          registrationNumber: `61B80${String(i).padStart(5, '0')}`,
          communeCode: '31825',
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      const households = await call(
        'GET',
        '/api/v1/producers?legalType=household&communeCode=31825',
        province.cookie,
      );
      assert.equal(households.json().items.length, 2);
      const typo = await call(
        'GET',
        `/api/v1/producers?q=${encodeURIComponent('mam ba khiaa')}`,
        province.cookie,
      );
      assert.deepEqual(
        typo.json().items.map((p: { legalName: string }) => p.legalName),
        ['Cơ sở Mắm Ba Khía'],
        'a typo still finds it',
      );
      // a typo search pages like any list
      const fuzzySeen: string[] = [];
      let fuzzyUrl = `/api/v1/producers?limit=2&q=${encodeURIComponent('co so mamm')}`;
      for (let page = 0; page < 10; page++) {
        const res = (await call('GET', fuzzyUrl, province.cookie)).json();
        fuzzySeen.push(...res.items.map((p: { legalName: string }) => p.legalName));
        if (!res.nextCursor) break;
        fuzzyUrl = `/api/v1/producers?limit=2&q=${encodeURIComponent('co so mamm')}&cursor=${res.nextCursor}`;
      }
      assert.equal(fuzzySeen.filter((n) => n.startsWith('Cơ sở Mắm')).length, 5, fuzzySeen.join(', '));
      const seen: string[] = [];
      let url = '/api/v1/producers?limit=2';
      for (let page = 0; page < 10; page++) {
        const res = await call('GET', url, province.cookie);
        seen.push(...res.json().items.map((p: { id: string }) => p.id));
        if (!res.json().nextCursor) break;
        url = `/api/v1/producers?limit=2&cursor=${res.json().nextCursor}`;
      }
      assert.equal(seen.length, new Set(seen).size, 'no producer twice');
      assert.equal(seen.length, await count());
      const bad = await call('GET', '/api/v1/producers?cursor=not-a-cursor', province.cookie);
      assert.equal(bad.statusCode, 400);
    });

    test('export: CSV in UTF-8 with BOM and .xlsx, Vietnamese intact', async () => {
      const csv = await app.server.inject({
        url: '/producers/export?format=csv',
        headers: { cookie: province.cookie },
      });
      assert.equal(csv.statusCode, 200);
      assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.match(csv.body, /Hợp tác xã Tôm khô Rạch Gốc/);
      const xlsx = await app.server.inject({
        url: '/producers/export?format=xlsx',
        headers: { cookie: province.cookie },
      });
      assert.equal(xlsx.statusCode, 200);
      assert.equal(xlsx.rawPayload.subarray(0, 2).toString('latin1'), 'PK');
      const { readTable } = await import('../../platform/spreadsheet/index.ts');
      const table = await readTable(xlsx.rawPayload, 'x.xlsx');
      assert.ok(table.rows.some((r) => r.cells.includes('Hợp tác xã Tôm khô Rạch Gốc')));
    });
  });
}
