import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { readTable } from './read.ts';
import { parseBooleanCell, parseDateCell, parseDecimalCell } from './values.ts';
import { type Column, safeSheetName, toCsv, toVietnamDate, toXlsx } from './write.ts';

interface Product {
  name: string;
  producer: string;
  recognisedOn: Date | null;
  stars: number;
  price: number;
  organic: boolean;
  note: string | null;
}

const products: Product[] = [
  {
    name: 'Mật ong hoa nhãn "Ong Việt"',
    producer: 'HTX Nuôi ong Nghĩa Trụ, Văn Giang',
    recognisedOn: new Date('2024-04-03'),
    stars: 4,
    price: 185000.4,
    organic: true,
    note: 'Đạt chuẩn\nxuất khẩu',
  },
  {
    name: 'Chè Shan tuyết cổ thụ',
    producer: 'Công ty TNHH Trà Hà Giang',
    recognisedOn: null,
    stars: 5,
    price: 1250000,
    organic: false,
    note: '=HYPERLINK("http://evil.example","bấm vào")',
  },
  {
    name: 'Nước mắm Phú Quốc',
    producer: '@ Cơ sở Thanh Hà',
    recognisedOn: new Date('2023-12-31'),
    stars: 3,
    price: 0,
    organic: false,
    note: '-giảm giá; +quà tặng',
  },
];

const columns: Column<Product>[] = [
  { header: 'Tên sản phẩm', value: (p) => p.name, kind: 'text' },
  { header: 'Chủ thể', value: (p) => p.producer, width: 40 },
  { header: 'Ngày công nhận', value: (p) => p.recognisedOn, kind: 'date' },
  { header: 'Hạng sao', value: (p) => p.stars, kind: 'number' },
  { header: 'Giá (đồng)', value: (p) => p.price, kind: 'money' },
  { header: 'Hữu cơ', value: (p) => p.organic },
  { header: 'Ghi chú', value: (p) => p.note },
];

test('CSV: BOM, CRLF, quoting, dates dd/mm/yyyy, whole đồng, formula injection guarded', () => {
  const csv = toCsv(columns, products);
  const bytes = Buffer.from(csv, 'utf8');
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(
    csv,
    '\uFEFFTên sản phẩm,Chủ thể,Ngày công nhận,Hạng sao,Giá (đồng),Hữu cơ,Ghi chú\r\n' +
      '"Mật ong hoa nhãn ""Ong Việt""","HTX Nuôi ong Nghĩa Trụ, Văn Giang",03/04/2024,4,185000,TRUE,"Đạt chuẩn\nxuất khẩu"\r\n' +
      'Chè Shan tuyết cổ thụ,Công ty TNHH Trà Hà Giang,,5,1250000,FALSE,"\'=HYPERLINK(""http://evil.example"",""bấm vào"")"\r\n' +
      'Nước mắm Phú Quốc,\'@ Cơ sở Thanh Hà,31/12/2023,3,0,FALSE,"\'-giảm giá; +quà tặng"\r\n',
  );
});

test('CSV: read back with readTable, Vietnamese intact and the guard removed', async () => {
  for (const delimiter of [',', ';'] as const) {
    const table = await readTable(Buffer.from(toCsv(columns, products, { delimiter }), 'utf8'), 'xuat.csv');
    assert.equal(table.delimiter, delimiter);
    assert.equal(table.encoding, 'utf-8');
    assert.deepEqual(
      table.headers,
      columns.map((c) => c.header),
    );
    assert.deepEqual(
      table.rows.map((r) => r.cells),
      [
        [
          'Mật ong hoa nhãn "Ong Việt"',
          'HTX Nuôi ong Nghĩa Trụ, Văn Giang',
          '03/04/2024',
          '4',
          '185000',
          'TRUE',
          'Đạt chuẩn\nxuất khẩu',
        ],
        [
          'Chè Shan tuyết cổ thụ',
          'Công ty TNHH Trà Hà Giang',
          null,
          '5',
          '1250000',
          'FALSE',
          products[1]!.note,
        ],
        ['Nước mắm Phú Quốc', '@ Cơ sở Thanh Hà', '31/12/2023', '3', '0', 'FALSE', '-giảm giá; +quà tặng'],
      ],
    );
    const [first] = table.rows;
    assert.deepEqual(parseDateCell(first!.cells[2]!), { ok: true, value: '2024-04-03' });
    assert.deepEqual(parseBooleanCell(first!.cells[5]!), { ok: true, value: true });
  }
});

test('CSV: with ; the decimal mark is a comma, as Vietnamese Excel expects', () => {
  const cols: Column<number>[] = [{ header: 'Diện tích (ha)', value: (n) => n }];
  assert.equal(toCsv(cols, [1.5, 2], { delimiter: ';' }), '\uFEFFDiện tích (ha)\r\n1,5\r\n2\r\n');
  assert.deepEqual(parseDecimalCell('1,5'), { ok: true, value: 1.5 });
  assert.equal(toCsv(cols, [1.5]), '\uFEFFDiện tích (ha)\r\n1.5\r\n');
});

test('ISO date strings in date columns, invalid dates, and moments in Vietnam time', () => {
  const cols: Column<string | Date>[] = [{ header: 'Ngày', value: (v) => v, kind: 'date' }];
  assert.equal(toCsv(cols, ['2024-02-29', new Date(Number.NaN)]), '\uFEFFNgày\r\n29/02/2024\r\n\r\n');
  // 20:30 UTC on 3 April is already 4 April in Hà Nội
  assert.equal(toVietnamDate(new Date('2024-04-03T20:30:00Z')).toISOString(), '2024-04-04T00:00:00.000Z');
  assert.equal(toVietnamDate(new Date('2024-04-03T16:59:59Z')).toISOString(), '2024-04-03T00:00:00.000Z');
});

test('XLSX: read back with readTable, real dates and numbers, Vietnamese intact', async () => {
  const buffer = await toXlsx('Sản phẩm OCOP', columns, products);
  assert.ok(Buffer.isBuffer(buffer));
  const table = await readTable(buffer, 'xuat.xlsx');
  assert.equal(table.sheetName, 'Sản phẩm OCOP');
  assert.equal(table.headerRow, 1);
  assert.deepEqual(
    table.headers,
    columns.map((c) => c.header),
  );
  assert.deepEqual(
    table.rows.map((r) => r.cells),
    [
      [
        'Mật ong hoa nhãn "Ong Việt"',
        'HTX Nuôi ong Nghĩa Trụ, Văn Giang',
        new Date('2024-04-03'),
        4,
        185000,
        true,
        'Đạt chuẩn\nxuất khẩu',
      ],
      // xlsx cells hold text as text: no formula is ever made of it, so no guard is needed
      ['Chè Shan tuyết cổ thụ', 'Công ty TNHH Trà Hà Giang', null, 5, 1250000, false, products[1]!.note],
      ['Nước mắm Phú Quốc', '@ Cơ sở Thanh Hà', new Date('2023-12-31'), 3, 0, false, '-giảm giá; +quà tặng'],
    ],
  );
});

test('XLSX: bold frozen header, autofilter, widths and number formats', async () => {
  const buffer = await toXlsx('Sản phẩm', columns, products);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  assert.equal(ws.getCell('A1').font?.bold, true);
  assert.deepEqual(
    ws.views.map((v) => [v.state, 'ySplit' in v ? v.ySplit : undefined]),
    [['frozen', 1]],
  );
  assert.equal(ws.autoFilter, 'A1:G1');
  assert.equal(ws.getColumn(2).width, 40);
  assert.ok((ws.getColumn(1).width ?? 0) >= 'Mật ong hoa nhãn "Ong Việt"'.length);
  assert.equal(ws.getCell('C2').numFmt, 'dd/mm/yyyy');
  assert.equal(ws.getCell('E3').numFmt, '#,##0');
  assert.equal(ws.getCell('E3').value, 1250000);
  assert.equal(ws.getCell('A2').numFmt, '@');
  assert.equal(ws.getCell('G3').type, ExcelJS.ValueType.String);
});

test('XLSX: control characters are dropped, sheet names made acceptable, an empty list still has headers', async () => {
  const buffer = await toXlsx(
    'Báo cáo [Quý 1/2024]: tổng hợp các sản phẩm OCOP',
    [{ header: 'Tên', value: (s: string) => s }],
    ['Mật\u0000 ong\u0007'],
  );
  const table = await readTable(buffer, 'x.xlsx');
  assert.equal(table.sheetName, 'Báo cáo  Quý 1 2024   tổng hợp');
  assert.deepEqual(table.rows[0]?.cells, ['Mật ong']);
  assert.equal(safeSheetName("'''"), 'Sheet1');
  const empty = await readTable(await toXlsx('Trống', columns, []), 'e.xlsx');
  assert.deepEqual(
    empty.headers,
    columns.map((c) => c.header),
  );
  assert.deepEqual(empty.rows, []);
});
