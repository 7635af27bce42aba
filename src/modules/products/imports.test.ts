import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { signIn, startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import type { Principal } from '../../platform/auth.ts';
import { readTable } from '../../platform/spreadsheet/index.ts';
import { taxCodeCheckDigit } from '../producers/index.ts';
import { gtinCheckDigit } from './gtin.ts';
import { guessMapping } from './import-columns.ts';

after(dropOwnTemplates);

const tax = (nine: string) => `${nine}${taxCodeCheckDigit(nine)}`;
const TAX_A = tax('200123456');
const TAX_B = tax('200765432');
const GTIN = (() => {
  const twelve = '893600000001';
  return `${twelve}${gtinCheckDigit(twelve)}`;
})();
const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
const SYSTEM = { actor: { type: 'system' as const, label: 'test' } };
const officeOf = (province: string): Principal => ({
  userId: '00000000-0000-4000-8000-0000000000aa',
  email: 'tinh@x.vn',
  name: 'Văn phòng OCOP tỉnh',
  role: 'province_office',
  scopeCode: province,
  producerId: null,
  via: 'session',
});

for (const engine of testEngines()) {
  describe(`imports (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(engine);
    });
    after(() => app?.close());
    const count = async (table: string) =>
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(table)}`.execute(app.database.db))
        .rows[0]!.n;

    const run = async (
      bytes: Buffer,
      name: string,
      target: 'producers' | 'products',
      commit: boolean,
      resolutions = {},
      who = officeOf('96'),
    ) => {
      const table = await readTable(bytes, name);
      return app.products.imports.run(
        SYSTEM,
        who,
        { target, table, mapping: guessMapping(target, table.headers), resolutions },
        { commit },
      );
    };

    const PRODUCERS = [
      'Tên chủ thể;Loại hình;Mã số thuế;Số ĐKKD;Ngày thành lập;Mã xã cũ;Xã/phường;Người đại diện;Điện thoại',
      `HTX Tôm khô Rạch Gốc;HTX;${TAX_A};;20/03/2015;31813;;Trần Văn Tôm;0912 345 678`,
      'Hộ kinh doanh Thúy Lực;;;61A8001234;2019-05-01;;Phường An Xuyên;Thúy Lực;',
      `Công ty TNHH Sai Số;Công ty;${TAX_B.slice(0, 9)}${(Number(TAX_B[9]) + 1) % 10};;31/02/2020;;Phường An Xuyên;;`,
      'Cơ sở Khô cá Phường 7;Cơ sở;;61A8005678;;32020;;;',
    ];

    test('a dry run reports every problem by row and column, asks where split communes go, writes nothing', async () => {
      const report = await run(csv(PRODUCERS), 'chu-the.csv', 'producers', false);
      assert.equal(report.committed, false);
      const rules = report.problems.map((p) => `${p.row}:${p.column}:${p.rule}`).sort();
      assert.deepEqual(rules, ['4:Mã số thuế:taxCodeCheckDigit', '4:Ngày thành lập:date']);
      assert.equal(report.pending.length, 1);
      assert.equal(report.pending[0]!.oldCode, '32020');
      assert.deepEqual(report.pending[0]!.rows, [5]);
      assert.deepEqual(report.pending[0]!.candidates.map((c) => c.code).sort(), ['32025', '32041']);
      const committed = await run(csv(PRODUCERS), 'chu-the.csv', 'producers', true);
      assert.equal(committed.committed, false, 'a file with problems is not written, not even in part');
      assert.equal(await count('producers.producer'), 0);
    });

    test('fixed, it commits in one go; old communes are moved to 2025 ones; importing again changes nothing', async () => {
      const fixed = PRODUCERS.filter((_l, i) => i !== 3);
      const report = await run(csv(fixed), 'chu-the.csv', 'producers', true, { '32020': '32025' });
      assert.deepEqual(report.problems, []);
      assert.equal(report.committed, true);
      assert.equal(report.create, 3);
      const rows = await sql<{
        legal_name: string;
        legal_type: string;
        commune_code: string;
        old_commune_code: string | null;
        founded_on: string | null;
        phone: string | null;
      }>`
        select legal_name, legal_type, commune_code, old_commune_code, founded_on, phone from producers.producer order by legal_name`.execute(
        app.database.db,
      );
      assert.deepEqual(rows.rows, [
        {
          legal_name: 'Cơ sở Khô cá Phường 7',
          legal_type: 'household',
          commune_code: '32025',
          old_commune_code: '32020',
          founded_on: null,
          phone: null,
        },
        {
          legal_name: 'HTX Tôm khô Rạch Gốc',
          legal_type: 'cooperative',
          commune_code: '31825',
          old_commune_code: '31813',
          founded_on: '2015-03-20',
          phone: '0912345678',
        },
        {
          legal_name: 'Hộ kinh doanh Thúy Lực',
          legal_type: 'household',
          commune_code: '32002',
          old_commune_code: null,
          founded_on: '2019-05-01',
          phone: null,
        },
      ]);
      const audited = await sql<{
        n: number;
      }>`select count(*)::int as n from platform.audit_log where action = 'producer.import'`.execute(
        app.database.db,
      );
      assert.equal(audited.rows[0]!.n, 3, 'each record on the audit log');
      const again = await run(csv(fixed), 'chu-the.csv', 'producers', true, { '32020': '32025' });
      assert.deepEqual([again.create, again.update, again.unchanged], [0, 0, 3]);
      assert.equal(await count('producers.producer'), 3);
      const changed = await run(
        csv(fixed.map((l) => l.replace('Trần Văn Tôm', 'Trần Thị Tôm'))),
        'chu-the.csv',
        'producers',
        true,
        { '32020': '32025' },
      );
      assert.deepEqual([changed.create, changed.update, changed.unchanged], [0, 1, 2]);
    });

    test('a province office imports only into its own province, and cannot take over another’s producer', async () => {
      const report = await run(csv(PRODUCERS.slice(0, 2)), 'x.csv', 'producers', false, {}, officeOf('01'));
      assert.deepEqual(report.problems.map((p) => `${p.field}:${p.rule}`).sort(), [
        'oldCommuneCode:outsideScope',
        'taxCode:outsideScope',
      ]);
      // Hà Nội's office names Cà Mau's producer (by its public tax code) with a Hà Nội commune
      const takeover = await run(
        csv(['Tên chủ thể;Loại hình;Mã số thuế;Mã xã', `HTX Tôm khô Rạch Gốc;HTX;${TAX_A};00004`]),
        'x.csv',
        'producers',
        true,
        {},
        officeOf('01'),
      );
      assert.equal(takeover.committed, false);
      assert.deepEqual(
        takeover.problems.map((p) => p.rule),
        ['outsideScope'],
      );
      const place = await sql<{
        commune_code: string;
      }>`select commune_code from producers.producer where tax_code = ${TAX_A}`.execute(app.database.db);
      assert.equal(place.rows[0]!.commune_code, '31825', 'still in Cà Mau');
    });

    test('rows the database would refuse are reported in the dry run, not at commit', async () => {
      const report = await run(
        csv([
          'Tên chủ thể;Loại hình;Số ĐKKD;Mã xã;Mã xã cũ;Điện thoại;Email;Ngày thành lập',
          'Hộ Một;HKD;61A8100001;32002;;0912345678 0987654321;;',
          'Hộ Hai;HKD;61A8100002;32002;;;khong co;',
          'Hộ Ba;HKD;61A8100003;32002;00001;;;',
          'Hộ Bốn;HKD;61A8100004;32002;;;;01/01/1850',
          'Hộ Năm;HKD;61A8100005;32002;;;;',
          'Hộ Sáu;HKD;61.A8.100005;32002;;;;',
        ]),
        'x.csv',
        'producers',
        false,
      );
      assert.deepEqual(
        report.problems.map((p) => `${p.row}:${p.field}:${p.rule}`),
        [
          '2:phone:pattern',
          '3:email:email',
          '4:oldCommuneCode:oldCommuneMismatch',
          '5:foundedOn:dateRange',
          '7:registrationNumber:duplicateInFile',
        ],
      );
    });

    test('products: matched to producers by tax code or registration number, upserted by product code', async () => {
      const year = '2024';
      const lines = [
        'Tên sản phẩm,Bộ sản phẩm,Mã số thuế,Số ĐKKD,Mã sản phẩm,Số sao,Mã vạch',
        `Tôm khô Rạch Gốc,8,${TAX_A},,96-31825-012-${year},4 sao,${GTIN}`,
        'Bò viên Thúy Lực,8,,61A8001234,,3,',
        `Khô cá sặc,8,,61A8009999,,3,`,
        `Mắm sai,27,${TAX_A},,,6,8936000000019`,
      ];
      const dry = await run(csv(lines), 'san-pham.csv', 'products', false);
      assert.deepEqual(dry.problems.map((p) => `${p.row}:${p.column}:${p.rule}`).sort(), [
        '4:Số ĐKKD:producerNotInRegistry',
        '5:Bộ sản phẩm:productSet',
        '5:Mã vạch:gtinCheckDigit',
        '5:Số sao:stars',
      ]);
      const ok = lines.slice(0, 3);
      const done = await run(csv(ok), 'san-pham.csv', 'products', true);
      assert.equal(done.committed, true);
      assert.equal(done.create, 2);
      const product = await sql<{ stars: number; product_code: string; code_sequence: number }>`
        select stars, product_code, code_sequence from products.product where name = 'Tôm khô Rạch Gốc'`.execute(
        app.database.db,
      );
      assert.deepEqual(product.rows[0], {
        stars: 4,
        product_code: `96-31825-012-${year}`,
        code_sequence: 12,
      });
      const sequence = await sql<{
        last_value: number;
      }>`select last_value from products.commune_sequence where commune_code = '31825'`.execute(
        app.database.db,
      );
      assert.equal(sequence.rows[0]!.last_value, 12, 'the commune’s next product gets 013');
      const again = await run(csv(ok), 'san-pham.csv', 'products', true);
      assert.deepEqual([again.create, again.update, again.unchanged], [0, 0, 2]);
    });

    test('over HTTP: a spreadsheet with merged header cells is refused with a clear message', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Danh sách');
      sheet.addRow(['Tên chủ thể', 'Địa chỉ', '']);
      sheet.mergeCells('B1:C1');
      sheet.addRow(['HTX A', 'Ấp 1', 'Xã B']);
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const agent = await signIn(app, { email: 'tinh@camau.vn', role: 'province_office', scopeCode: '96' });
      const boundary = '----ocopimport';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${agent.csrf}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="target"\r\n\r\nproducers\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ds.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await app.server.inject({
        method: 'POST',
        url: '/api/v1/imports',
        headers: { cookie: agent.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'spreadsheet_merged_header');
      assert.match(res.json().title, /B1:C1/);
    });
  });
}
