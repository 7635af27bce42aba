import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createProducer, signIn, startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { ADMIN, SYSTEM } from '../../../tests/support/dossiers.ts';
import type { Principal } from '../../platform/auth.ts';
import { readTable } from '../../platform/spreadsheet/index.ts';
import { addDays } from '../../platform/time.ts';
import {
  type CertificateImport,
  createCertificateImport,
  guessCertificateMapping,
  levelOf,
  splitDecision,
  starsOf,
} from './certificate-import.ts';
import { standardValidUntil } from './certificate-status.ts';

after(dropOwnTemplates);

const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
/** dd/mm/yyyy, as provinces write dates. */
const vn = (iso: string) => iso.split('-').reverse().join('/');
/** The same months later (24 months: a period other than the standard 36). */
const monthsLater = (iso: string, months: number) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const index = m - 1 + months;
  return `${y + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};
const officeOf = (province: string): Principal => ({
  userId: '00000000-0000-4000-8000-0000000000ab',
  email: `tinh${province}@x.vn`,
  name: 'Văn phòng OCOP tỉnh',
  role: 'province_office',
  scopeCode: province,
  producerId: null,
  via: 'session',
});

test('headings, stars and levels as provinces write them', () => {
  assert.deepEqual(
    guessCertificateMapping([
      'STT',
      'Số GCN',
      'Mã sản phẩm',
      'Tên sản phẩm',
      'Chủ thể',
      'Số sao',
      'Điểm',
      'Cấp công nhận',
      'Số quyết định',
      'Ngày quyết định',
      'Người ký',
      'Ngày cấp',
      'Ngày hết hạn',
      'Lý do',
    ]),
    {
      number: 1,
      productCode: 2,
      productName: 3,
      producerName: 4,
      stars: 5,
      score: 6,
      level: 7,
      decisionNumber: 8,
      decisionDate: 9,
      decisionSigner: 10,
      issuedOn: 11,
      validUntil: 12,
      validityReason: 13,
    },
  );
  assert.equal(guessCertificateMapping(['Số giấy chứng nhận', 'Hạng sao']).number, 0);
  assert.equal(guessCertificateMapping(['Số giấy chứng nhận', 'Hạng sao']).stars, 1);
  for (const [cell, stars] of [
    [4, 4],
    ['4 sao', 4],
    ['4*', 4],
    ['4★', 4],
    ['★★★★', 4],
    ['★★★', 3],
    ['Hạng 5 sao', 5],
    ['bốn', Number.NaN],
    ['3-4', Number.NaN],
    [3.5, Number.NaN],
  ] as const)
    assert.equal(starsOf(cell), stars, String(cell));
  assert.deepEqual(splitDecision('125/QĐ-UBND ngày 12/3/2020'), { number: '125/QĐ-UBND', date: '12/3/2020' });
  assert.deepEqual(splitDecision('Số 125/QĐ-UBND, ngày 12/03/2020'), {
    number: 'Số 125/QĐ-UBND',
    date: '12/03/2020',
  });
  assert.deepEqual(splitDecision('125/QĐ-UBND'), { number: '125/QĐ-UBND', date: null });
  for (const [text, level] of [
    ['tỉnh', 'province'],
    ['Cấp tỉnh', 'province'],
    ['UBND tỉnh', 'province'],
    ['huyện', 'district'],
    ['Trung ương', 'central'],
    ['TW', 'central'],
    ['Bộ NN&PTNT', 'central'],
    ['xã', null],
  ] as const)
    assert.equal(levelOf(text), level, text);
});

for (const engine of testEngines()) {
  describe(`certificate import (${engine})`, () => {
    let app: TestApp;
    let imports: CertificateImport;
    let today: string;
    const ids: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
    let HEADER: string;
    let CLEAN: string[];
    let FAULTY: string[];
    let office: Awaited<ReturnType<typeof signIn>>;

    before(async () => {
      app = await startTestApp(engine);
      imports = createCertificateImport(app.database.db, {
        certificates: app.certification.certificates,
        products: app.products.products,
        producers: app.producers,
      });
      today = app.certification.certificates.today();
      const shrimp = await createProducer(app, {
        legalName: 'HTX Tôm khô Rạch Gốc',
        registrationNumber: '61A8007001',
      });
      const beef = await createProducer(app, {
        legalName: 'Hộ kinh doanh Thúy Lực',
        registrationNumber: '61A8007002',
      });
      const create = async (producerId: string, name: string) =>
        (await app.products.products.create(SYSTEM, ADMIN, { producerId, name, productSet: 8 })).id;
      ids.A = await create(shrimp.id, 'Tôm khô Rạch Gốc');
      ids.B = await create(beef.id, 'Bò viên Thúy Lực');
      ids.C = await create(shrimp.id, 'Mật ong rừng U Minh');
      await sql`update products.product set product_code = '96-32002-1-2023', code_sequence = 1 where id = ${ids.A}`.execute(
        app.database.db,
      );
      await sql`update products.product set product_code = '96-32002-2-2020', code_sequence = 2 where id = ${ids.C}`.execute(
        app.database.db,
      );
      office = await signIn(app, { email: 'gcn@camau.vn', role: 'province_office', scopeCode: '96' });

      const issuedA = addDays(today, -200);
      const issuedB = addDays(today, -400);
      const later = addDays(today, -100);
      HEADER =
        'STT;Số GCN;Mã sản phẩm;Tên sản phẩm;Chủ thể;Số ĐKKD;Số sao;Điểm;Cấp công nhận;Số quyết định;Ngày quyết định;Người ký;Ngày cấp;Có giá trị đến;Lý do';
      CLEAN = [
        HEADER,
        // row 2: 4★ of the province, by product code
        `1;125/GCN-UBND;96-32002-1-2023;Tôm khô Rạch Gốc;HTX Tôm khô Rạch Gốc;;4 sao;78,5;Tỉnh;125/QĐ-UBND;${vn(issuedA)};Lê Văn Ký;${vn(issuedA)};${vn(standardValidUntil(issuedA))};`,
        // row 3: by the producer's registration number and the name without diacritics; dates left to the rules
        `2;126/GCN-UBND;;Bo vien thuy luc;Hộ Thúy Lực;61A8007002;★★★;;tỉnh;126/QĐ-UBND;${vn(issuedB)};Lê Văn Ký;;;`,
        // row 4: the 2023 re-evaluation of row 5's product (listed first: the file's order does not matter)
        '3;45/GCN-UBND;96-32002-2-2020;Mật ong rừng U Minh;HTX Tôm khô Rạch Gốc;;3*;;;45/QĐ-UBND;10/03/2023;Lê Văn Ký;10/03/2023;10/03/2026;',
        // row 5: its 3★ of 2020, long expired
        '4;12/GCN-UBND;96-32002-2-2020;Mật ong rừng U Minh;HTX Tôm khô Rạch Gốc;;3;;Tỉnh;12/QĐ-UBND;16/03/2020;Trần Văn Ký;16/03/2020;16/03/2023;',
      ];
      FAULTY = [
        ...CLEAN,
        // row 6: issued in the future
        `5;130/GCN-UBND;96-32002-1-2023;Tôm khô Rạch Gốc;;;4;;Tỉnh;130/QĐ-UBND;${vn(addDays(today, -5))};Lê Văn Ký;${vn(addDays(today, 10))};;`,
        // row 7: valid 24 months, no reason given
        `6;131/GCN-UBND;96-32002-1-2023;Tôm khô Rạch Gốc;;;4;;Tỉnh;131/QĐ-UBND;${vn(later)};Lê Văn Ký;${vn(later)};${vn(monthsLater(later, 24))};`,
        // row 8: 5★ is not the province's to give
        `7;132/GCN-UBND;96-32002-1-2023;Tôm khô Rạch Gốc;;;5 sao;;Tỉnh;132/QĐ-UBND;${vn(later)};Lê Văn Ký;;;`,
        // row 9: a product the registry does not have
        `8;133/GCN-UBND;96-32002-99-2023;Sản phẩm lạ;;;3;;Tỉnh;133/QĐ-UBND;${vn(later)};Lê Văn Ký;;;`,
        // row 10: row 2's number again
        `9;125/GCN-UBND;;Bò viên Thúy Lực;;61A8007002;3;;Tỉnh;134/QĐ-UBND;${vn(later)};Lê Văn Ký;;;`,
      ];
    });
    after(() => app?.close());

    const count = async (table: string) =>
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(table)}`.execute(app.database.db))
        .rows[0]!.n;
    const run = async (bytes: Buffer, name: string, commit: boolean, who: Principal = officeOf('96')) => {
      const table = await readTable(bytes, name);
      return imports.run(SYSTEM, who, { table, mapping: guessCertificateMapping(table.headers) }, { commit });
    };
    const EXPECTED = [
      '6:Ngày cấp:notFuture',
      '7:Lý do:validityReason',
      '8:Số sao:starsForLevel',
      '9:Mã sản phẩm:certificateProductUnknown',
      '10:Số GCN:certificateNumberTaken',
    ];
    const rulesOf = (problems: { row: number; column: string | null; rule: string }[]) =>
      problems.map((p) => `${p.row}:${p.column}:${p.rule}`);

    const upload = (
      agent: { cookie: string; csrf: string },
      url: string,
      file: { name: string; bytes: Buffer },
      fields: Record<string, string> = {},
    ) => {
      const boundary = '----ocopcertificates';
      const part = (name: string, value: string) =>
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
      const body = Buffer.concat([
        part('_csrf', agent.csrf),
        ...Object.entries(fields).map(([k, v]) => part(k, v)),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        file.bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return app.server.inject({
        method: 'POST',
        url,
        headers: {
          cookie: agent.cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: body,
      });
    };

    test('a dry run reports every rule on its row and column, and writes nothing (CSV)', async () => {
      const report = await run(csv(FAULTY), 'gcn.csv', false);
      assert.equal(report.committed, false);
      assert.equal(report.rows, 9);
      assert.deepEqual(rulesOf(report.problems), EXPECTED);
      assert.deepEqual(report.problems.at(-1)!.params, { number: '125/GCN-UBND', row: 2 });
      assert.deepEqual(report.problems[1]!.params, { standard: standardValidUntil(addDays(today, -100)) });
      assert.equal(report.create, 4, 'the four good rows would be written');
      const refused = await run(csv(FAULTY), 'gcn.csv', true);
      assert.equal(refused.committed, false, 'a file with problems is not written, not even in part');
      assert.equal(await count('certification.certificate'), 0);
      const clean = await run(csv(CLEAN), 'gcn.csv', false);
      assert.deepEqual([clean.problems, clean.create, clean.committed], [[], 4, false]);
      assert.equal(await count('certification.certificate'), 0, 'a dry run writes nothing');
    });

    test('the same from an .xlsx over the API (Excel dates and numbers); producers and the public are refused', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('GCN');
      const date = (text: string) => {
        const [d, m, y] = text.split('/').map(Number) as [number, number, number];
        return new Date(Date.UTC(y, m - 1, d));
      };
      for (const [i, line] of FAULTY.entries()) {
        const cells = line.split(';');
        if (i === 0) sheet.addRow(cells);
        else
          sheet.addRow(
            cells.map((value, column) =>
              value === ''
                ? null
                : [10, 12, 13].includes(column)
                  ? date(value)
                  : column === 6 && /^\d$/.test(value)
                    ? Number(value)
                    : value,
            ),
          );
      }
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const res = await upload(office, '/api/v1/certificates/import', { name: 'gcn.xlsx', bytes });
      assert.equal(res.statusCode, 200, res.body);
      const report = res.json();
      assert.deepEqual(rulesOf(report.problems), EXPECTED);
      assert.equal(report.committed, false);
      assert.equal(report.mapping.number, 1);
      assert.equal(report.headers[1], 'Số GCN');
      // a mapping given as JSON overrides the guess: without the reason column, the problem points at the end date
      const remapped = await upload(
        office,
        '/api/v1/certificates/import',
        { name: 'gcn.xlsx', bytes },
        { mapping: JSON.stringify({ number: 1, validityReason: null }) },
      );
      assert.equal(remapped.statusCode, 200, remapped.body);
      assert.equal(remapped.json().mapping.validityReason, undefined);
      assert.ok(rulesOf(remapped.json().problems).includes('7:Có giá trị đến:validityReason'));
      const badMapping = await upload(
        office,
        '/api/v1/certificates/import',
        { name: 'gcn.xlsx', bytes },
        { mapping: JSON.stringify({ number: 99 }) },
      );
      assert.equal(badMapping.statusCode, 400);
      assert.equal(await count('certification.certificate'), 0);

      const producer = await signIn(app, { email: 'chuthe@camau.vn', role: 'producer' });
      const refused = await upload(producer, '/api/v1/certificates/import', { name: 'gcn.xlsx', bytes });
      assert.equal(refused.statusCode, 403, refused.body);
      const page = await app.server.inject({
        url: '/certificates/import',
        headers: { cookie: producer.cookie, accept: 'text/html' },
      });
      assert.equal(page.statusCode, 403);
      // (a form post without a session fails its CSRF check first: ask as an API client would)
      const anonymous = await app.server.inject({
        method: 'POST',
        url: '/api/v1/certificates/import',
        payload: {},
      });
      assert.equal(anonymous.statusCode, 401);
      const commune = await signIn(app, {
        email: 'xa@camau.vn',
        role: 'commune_officer',
        scopeCode: '32002',
      });
      const communeRes = await upload(commune, '/api/v1/certificates/import', { name: 'gcn.xlsx', bytes });
      assert.equal(communeRes.statusCode, 403);
    });

    test('another province’s office cannot import this province’s certificates', async () => {
      const report = await run(csv(CLEAN), 'gcn.csv', true, officeOf('01'));
      assert.equal(report.committed, false);
      assert.deepEqual(rulesOf(report.problems), [
        '2:Mã sản phẩm:outsideScope',
        '3:Tên sản phẩm:outsideScope',
        '4:Mã sản phẩm:outsideScope',
        '5:Mã sản phẩm:outsideScope',
      ]);
      assert.equal(await count('certification.certificate'), 0);
    });

    test('a clean file commits in one go; histories chain; importing it again changes nothing', async () => {
      const report = await run(csv(CLEAN), 'gcn.csv', true);
      assert.deepEqual(report.problems, []);
      assert.deepEqual([report.committed, report.create, report.unchanged], [true, 4, 0]);
      const one = async (number: string) => {
        const found = await app.certification.certificates.lookup(number);
        assert.equal(found.length, 1, number);
        return found[0]!;
      };
      const a = await one('125/GCN-UBND');
      assert.deepEqual(
        [a.productId, a.stars, a.level, a.score, a.status, a.source, a.issuedOn, a.validUntil],
        [
          ids.A,
          4,
          'province',
          78.5,
          'valid',
          'import',
          addDays(today, -200),
          standardValidUntil(addDays(today, -200)),
        ],
      );
      const b = await one('126/GCN-UBND');
      assert.deepEqual(
        [b.productId, b.stars, b.status, b.issuedOn, b.validUntil, b.validityReason],
        [ids.B, 3, 'valid', addDays(today, -400), standardValidUntil(addDays(today, -400)), null],
      );
      const old = await one('12/GCN-UBND');
      const renewed = await one('45/GCN-UBND');
      assert.equal(old.productId, ids.C);
      assert.equal(old.status, 'superseded');
      assert.equal(old.supersededById, renewed.id);
      assert.equal(old.supersededOn, '2023-03-10');
      assert.equal(renewed.supersedesId, old.id);
      assert.equal(renewed.status, 'expired', 'ended 10/03/2026, no re-evaluation filed');
      const stars = await sql<{ id: string; stars: number | null }>`
        select id, stars from products.product where id in (${ids.A}, ${ids.B}, ${ids.C})`.execute(
        app.database.db,
      );
      assert.deepEqual(
        Object.fromEntries(stars.rows.map((r) => [r.id, r.stars])),
        { [ids.A]: 4, [ids.B]: 3, [ids.C]: null },
        'the products carry the stars of the certificates in force',
      );
      const audited = await sql<{ diff: unknown }>`
        select diff from platform.audit_log where action = 'certificate.import'`.execute(app.database.db);
      assert.equal(audited.rows.length, 1);
      assert.match(JSON.stringify(audited.rows[0]!.diff), /"written":\[null,4\]/);

      const again = await run(csv(CLEAN), 'gcn.csv', true);
      assert.deepEqual(
        [again.problems, again.create, again.update, again.unchanged, again.committed],
        [[], 0, 0, 4, true],
      );
      assert.equal(await count('certification.certificate'), 4);
      const auditedAgain = await sql<{ n: number }>`
        select count(*)::int as n from platform.audit_log where action like 'certificate.%'`.execute(
        app.database.db,
      );
      const before = auditedAgain.rows[0]!.n;
      await run(csv(CLEAN), 'gcn.csv', true);
      const after = await sql<{ n: number }>`
        select count(*)::int as n from platform.audit_log where action like 'certificate.%'`.execute(
        app.database.db,
      );
      assert.equal(after.rows[0]!.n, before, 'nothing written, not even to the audit log');

      // a number already in the register for another certificate
      const taken = await run(
        csv([
          HEADER,
          `1;125/GCN-UBND;;Bò viên Thúy Lực;;61A8007002;3;;Tỉnh;140/QĐ-UBND;${vn(addDays(today, -3))};Lê Văn Ký;;;`,
        ]),
        'gcn.csv',
        false,
      );
      assert.deepEqual(rulesOf(taken.problems), ['2:Số GCN:certificateNumberTaken']);
      assert.deepEqual(taken.problems[0]!.params, { number: '125/GCN-UBND' });

      // the decision's number and date in one column, as many lists have it; no issue or end date
      const combined = await run(
        csv([
          'Số GCN;Mã sản phẩm;Số sao;Số, ngày quyết định;Người ký',
          `300/GCN-UBND;96-32002-1-2023;4;300/QĐ-UBND ngày ${vn(addDays(today, -2))};Lê Văn Ký`,
          '301/GCN-UBND;96-32002-1-2023;4;301/QĐ-UBND;Lê Văn Ký',
        ]),
        'gcn.csv',
        false,
      );
      assert.deepEqual(rulesOf(combined.problems), ['3:Số, ngày quyết định:required']);
      assert.equal(combined.create, 1);
    });

    test('the pages: upload, the report with its problems in Vietnamese, the mapping, and the commit button', async () => {
      const form = await app.server.inject({
        url: '/certificates/import',
        headers: { cookie: office.cookie, accept: 'text/html' },
      });
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Kiểm tra \(chạy thử\)/);
      assert.match(form.body, /enctype="multipart\/form-data"/);

      const faulty = await upload(office, '/certificates/import', { name: 'gcn.csv', bytes: csv(FAULTY) });
      assert.equal(faulty.statusCode, 303, faulty.body);
      const location = String(faulty.headers.location);
      assert.match(location, /^\/certificates\/import\/[0-9a-f-]{36}$/);
      const page = await app.server.inject({
        url: location,
        headers: { cookie: office.cookie, accept: 'text/html' },
      });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /data-testid="import-problems"/);
      assert.match(page.body, /chưa có trong sổ đăng ký/);
      assert.match(page.body, /trùng với dòng 2 của tệp/);
      assert.match(page.body, /M: Ngày cấp/);
      assert.match(page.body, /name="mapping\/number"/);
      assert.doesNotMatch(page.body, /data-testid="import-commit"/);
      // someone else's import is not found
      const other = await signIn(app, { email: 'admin2@x.vn', role: 'admin' });
      const foreign = await app.server.inject({
        url: location,
        headers: { cookie: other.cookie, accept: 'text/html' },
      });
      assert.equal(foreign.statusCode, 404);

      // a new certificate for product B: its 3★ of row 3 makes way
      const newer = addDays(today, -10);
      const bytes = csv([
        HEADER,
        `1;200/GCN-UBND;;Bò viên Thúy Lực;;61A8007002;4 sao;;Tỉnh;200/QĐ-UBND;${vn(newer)};Lê Văn Ký;;;`,
      ]);
      const uploaded = await upload(office, '/certificates/import', { name: 'moi.csv', bytes });
      const next = String(uploaded.headers.location);
      const ready = await app.server.inject({
        url: next,
        headers: { cookie: office.cookie, accept: 'text/html' },
      });
      assert.match(ready.body, /data-testid="import-commit"/);
      assert.match(ready.body, /Ghi vào sổ/);
      assert.equal((await app.certification.certificates.lookup('200/GCN-UBND')).length, 0);
      const mapping = Object.fromEntries(
        Object.entries(guessCertificateMapping(HEADER.split(';'))).map(([k, v]) => [
          `mapping/${k}`,
          String(v),
        ]),
      );
      const committed = await app.server.inject({
        method: 'POST',
        url: next,
        headers: { cookie: office.cookie, accept: 'text/html' },
        payload: { _csrf: office.csrf, action: 'commit', ...mapping },
      });
      assert.equal(committed.statusCode, 303, committed.body);
      const done = await app.server.inject({
        url: next,
        headers: { cookie: office.cookie, accept: 'text/html' },
      });
      assert.match(done.body, /Đã ghi vào sổ: 1 giấy chứng nhận mới/);
      assert.doesNotMatch(done.body, /data-testid="import-commit"/);
      const [fresh] = await app.certification.certificates.lookup('200/GCN-UBND');
      assert.equal(fresh?.status, 'valid');
      const [replaced] = await app.certification.certificates.lookup('126/GCN-UBND');
      assert.equal(replaced?.status, 'superseded');
      assert.equal(replaced?.supersededById, fresh?.id);
    });
  });
}
