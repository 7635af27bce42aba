import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { DomainError } from '../errors.ts';
import { columnLetter, readTable } from './read.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(text)]);

/** Bytes from ASCII text and raw byte values. */
function bytes(...parts: Array<string | number>): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else for (const ch of part) out.push(ch.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as unknown as ArrayBuffer);
}

async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  params?: Record<string, string | number>,
): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof DomainError, String(e));
    assert.equal(e.code, code);
    if (params) for (const [key, value] of Object.entries(params)) assert.equal(e.params[key], value, key);
    return true;
  });
}

test('column letters', () => {
  assert.deepEqual([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter), [
    'A',
    'B',
    'Z',
    'AA',
    'AB',
    'AZ',
    'BA',
    'ZZ',
    'AAA',
  ]);
});

test('CSV: UTF-8 with BOM, trimmed cells, empty cells null, blank rows skipped but counted', async () => {
  const table = await readTable(
    withBom(
      'Tên sản phẩm,Hạng sao , Ghi chú\r\n  Mật ong hoa nhãn , 4,\r\n\r\n,,\r\nChè Shan tuyết,5,Hà Giang\r\n',
    ),
    'ds.csv',
  );
  assert.deepEqual(table, {
    sheetName: null,
    format: 'csv',
    encoding: 'utf-8',
    delimiter: ',',
    headerRow: 1,
    headers: ['Tên sản phẩm', 'Hạng sao', 'Ghi chú'],
    rows: [
      { row: 2, cells: ['Mật ong hoa nhãn', '4', null] },
      { row: 5, cells: ['Chè Shan tuyết', '5', 'Hà Giang'] },
    ],
  });
});

test('CSV: the header is the first non-empty row', async () => {
  const table = await readTable(utf8('\n;;\nMã;Tên\nA1;Bánh\n'), 'x.csv');
  assert.equal(table.headerRow, 3);
  assert.deepEqual(table.rows, [{ row: 4, cells: ['A1', 'Bánh'] }]);
});

test('CSV: semicolons (Vietnamese Excel) are found even with commas in the text; tabs too', async () => {
  const semi = await readTable(
    utf8(
      'Tên chủ thể;Địa chỉ\nHTX Ong Việt;Xã Nghĩa Trụ, huyện Văn Giang\nCông ty Trà;Thị trấn Vị Xuyên, Hà Giang, Việt Nam\n',
    ),
    'a.csv',
  );
  assert.equal(semi.delimiter, ';');
  assert.deepEqual(semi.rows[1]?.cells, ['Công ty Trà', 'Thị trấn Vị Xuyên, Hà Giang, Việt Nam']);
  const tsv = await readTable(utf8('Mã\tGiá\n01\t1.234,5\n02\t7,25\n'), 'a.txt');
  assert.equal(tsv.delimiter, '\t');
  assert.deepEqual(tsv.rows[0]?.cells, ['01', '1.234,5']);
});

test('CSV: RFC 4180 quoting, doubled quotes, line breaks inside quotes, any line ends', async () => {
  const text =
    'Tên,Mô tả,Giá\r\n' +
    '"Nước mắm ""Phú Quốc""","Đóng chai, 500ml\r\nĐộ đạm 40°N",120000\r\n' +
    '"Bánh tráng","",\r' + // a lone CR ends the record
    'Cà phê,"Rang ""mộc""" ,85000\n';
  const table = await readTable(utf8(text), 'q.csv');
  assert.deepEqual(table.rows, [
    { row: 2, cells: ['Nước mắm "Phú Quốc"', 'Đóng chai, 500ml\nĐộ đạm 40°N', '120000'] },
    { row: 3, cells: ['Bánh tráng', null, null] },
    { row: 4, cells: ['Cà phê', 'Rang "mộc"', '85000'] },
  ]);
});

test('CSV: an unterminated quote is reported with the row where it opened', async () => {
  await rejectsWith(readTable(utf8('Tên,Ghi chú\nA,ok\nB,"chưa đóng\nC,x\n'), 'q.csv'), 'csv_malformed', {
    row: 3,
  });
});

test("CSV: Excel's sep= line sets the delimiter and is not a row", async () => {
  const table = await readTable(utf8('sep=;\nA,x;B\n1,5;2\n'), 's.csv');
  assert.equal(table.delimiter, ';');
  assert.equal(table.headerRow, 1);
  assert.deepEqual(table.headers, ['A,x', 'B']);
  assert.deepEqual(table.rows, [{ row: 2, cells: ['1,5', '2'] }]);
});

test('CSV: the apostrophe that guards against formula injection is removed', async () => {
  const table = await readTable(utf8("SĐT,Công thức\n'+84 912 345 678,'=1+2\n'abc,'-5\n"), 'g.csv');
  assert.deepEqual(
    table.rows.map((r) => r.cells),
    [
      ['+84 912 345 678', '=1+2'],
      ["'abc", '-5'],
    ],
  );
});

test('CSV: empty files and files without a header row', async () => {
  for (const text of ['', '\uFEFF', '\r\n\r\n', ' , , \n,,\n', '\t\n']) {
    await rejectsWith(readTable(utf8(text), 'e.csv'), 'spreadsheet_empty');
  }
});

test('CSV: blank, duplicate and missing header names', async () => {
  await rejectsWith(readTable(utf8('Tên,,Giá\na,b,c\n'), 'h.csv'), 'spreadsheet_bad_header', {
    row: 1,
    column: 'B',
    header: '',
  });
  await rejectsWith(readTable(utf8('Tên,Giá,tên\na,b,c\n'), 'h.csv'), 'spreadsheet_bad_header', {
    column: 'C',
    header: 'tên',
  });
  // Trailing empty header cells are fine while their columns are empty…
  const ok = await readTable(utf8('Tên,Giá,,\na,1,,\n'), 'h.csv');
  assert.deepEqual(ok.headers, ['Tên', 'Giá']);
  assert.deepEqual(ok.rows[0]?.cells, ['a', '1']);
  // …but data under no header would be lost.
  await rejectsWith(readTable(utf8('Tên,Giá\na,1,,ghi chú\n'), 'h.csv'), 'spreadsheet_bad_header', {
    column: 'D',
  });
  // Header names: white space collapsed
  const multi = await readTable(utf8('"Tên\nsản  phẩm",Giá\na,1\n'), 'h.csv');
  assert.deepEqual(multi.headers, ['Tên sản phẩm', 'Giá']);
});

test('CSV: too many rows', async () => {
  const text = `Mã\n${Array.from({ length: 10 }, (_, i) => `M${i}`).join('\n')}\n`;
  assert.equal((await readTable(utf8(text), 'r.csv', { maxRows: 10 })).rows.length, 10);
  await rejectsWith(readTable(utf8(text), 'r.csv', { maxRows: 9 }), 'spreadsheet_too_many_rows', { max: 9 });
});

test('CSV: legacy Windows-1258 and TCVN3 files are decoded and the encoding reported', async () => {
  // "Tên;Địa chỉ\nĐặc sản;Hà Nội\n" in Windows-1258 (combining hook D2, dot F2)
  const cp1258 = await readTable(
    bytes(
      'T',
      0xea,
      'n;',
      0xd0,
      'i',
      0xf2,
      'a chi',
      0xd2,
      '\n',
      0xd0,
      0xe3,
      0xf2,
      'c sa',
      0xd2,
      'n;H',
      0xe0,
      ' N',
      0xf4,
      0xf2,
      'i\n',
    ),
    'cp.csv',
  );
  assert.equal(cp1258.encoding, 'windows-1258');
  assert.deepEqual(cp1258.headers, ['Tên', 'Địa chỉ']);
  assert.deepEqual(cp1258.rows[0]?.cells, ['Đặc sản', 'Hà Nội']);
  // The same in TCVN3
  const tcvn3 = await readTable(
    bytes(
      'T',
      0xaa,
      'n;',
      0xa7,
      0xde,
      'a ch',
      0xd8,
      '\n',
      0xa7,
      0xc6,
      'c s',
      0xb6,
      'n;H',
      0xb5,
      ' N',
      0xe9,
      'i\n',
    ),
    'tcvn.csv',
  );
  assert.equal(tcvn3.encoding, 'tcvn3');
  assert.deepEqual(tcvn3.headers, ['Tên', 'Địa chỉ']);
  assert.deepEqual(tcvn3.rows[0]?.cells, ['Đặc sản', 'Hà Nội']);
});

test('the format comes from the bytes: old .xls, HTML "Excel" exports and broken zips are refused', async () => {
  const ole = bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0);
  await rejectsWith(readTable(ole, 'cu.xls'), 'spreadsheet_xls_unsupported', { file: 'cu.xls' });
  await rejectsWith(
    readTable(utf8('<html><body><table><tr><td>Tên</td></tr></table></body></html>'), 'bao-cao.xls'),
    'spreadsheet_unsupported_format',
  );
  await rejectsWith(readTable(bytes('PK', 3, 4, 'not really a zip'), 'hong.xlsx'), 'spreadsheet_unreadable', {
    file: 'hong.xlsx',
  });
  // A CSV named .xlsx is still read as CSV
  const csv = await readTable(utf8('Tên\nA\n'), 'nham.xlsx');
  assert.equal(csv.format, 'csv');
});

test('XLSX: plain cells from rich text, formulas, hyperlinks, dates, booleans and errors', async () => {
  const date = new Date(Date.UTC(2024, 3, 3));
  const file = await xlsx((wb) => {
    const ws = wb.addWorksheet('Sản phẩm');
    ws.getRow(2).values = ['Tên', 'Ngày công nhận', 'Điểm', 'Trang web', 'Đạt', 'Tổng', 'Lỗi'];
    ws.getRow(3).values = [
      { richText: [{ text: 'Mật ong ', font: { bold: true } }, { text: 'hoa nhãn' }] },
      date,
      { formula: 'B3-B3+82', result: 82 },
      { text: 'ongviet.vn', hyperlink: 'https://ongviet.vn' },
      true,
      { formula: 'B3', result: date },
      { error: '#N/A' },
    ];
    ws.getRow(5).values = [
      '  Chè  ',
      null,
      70.5,
      {
        // Excel may store a hyperlink's text as rich text; exceljs's types only say string.
        text: { richText: [{ text: 'Thư ' }, { text: 'điện tử' }] } as unknown as string,
        hyperlink: 'mailto:tra@example.vn',
      },
      false,
      '',
      '',
    ];
  });
  const table = await readTable(file, 'sp.xlsx');
  assert.equal(table.format, 'xlsx');
  assert.equal(table.encoding, null);
  assert.equal(table.sheetName, 'Sản phẩm');
  assert.equal(table.headerRow, 2);
  assert.deepEqual(table.headers, ['Tên', 'Ngày công nhận', 'Điểm', 'Trang web', 'Đạt', 'Tổng', 'Lỗi']);
  assert.deepEqual(table.rows, [
    { row: 3, cells: ['Mật ong hoa nhãn', date, 82, 'ongviet.vn', true, date, '#N/A'] },
    { row: 5, cells: ['Chè', null, 70.5, 'Thư điện tử', false, null, null] },
  ]);
});

test('XLSX: a merged cell on the header row is refused with its range', async () => {
  const across = await xlsx((wb) => {
    const ws = wb.addWorksheet('S');
    ws.getRow(1).values = ['Thông tin sản phẩm', null, null, 'Hạng'];
    ws.mergeCells('A1:C1');
    ws.getRow(2).values = ['a', 'b', 'c', 3];
  });
  await rejectsWith(readTable(across, 'm.xlsx'), 'spreadsheet_merged_header', { cells: 'A1:C1' });
  const down = await xlsx((wb) => {
    const ws = wb.addWorksheet('S');
    ws.getRow(3).values = ['Tên', 'Hạng'];
    ws.mergeCells('B3:B4');
    ws.getRow(5).values = ['a', 3];
  });
  await rejectsWith(readTable(down, 'm.xlsx'), 'spreadsheet_merged_header', { cells: 'B3:B4' });
  // Merged cells below the header are read, each with the merged value.
  const body = await xlsx((wb) => {
    const ws = wb.addWorksheet('S');
    ws.getRow(1).values = ['Huyện', 'Sản phẩm'];
    ws.getRow(2).values = ['Văn Giang', 'Mật ong'];
    ws.getRow(3).values = [null, 'Nhãn'];
    ws.mergeCells('A2:A3');
  });
  const table = await readTable(body, 'm.xlsx');
  assert.deepEqual(
    table.rows.map((r) => r.cells),
    [
      ['Văn Giang', 'Mật ong'],
      ['Văn Giang', 'Nhãn'],
    ],
  );
});

test('XLSX: the first visible sheet by default, or the one named', async () => {
  const file = await xlsx((wb) => {
    const hidden = wb.addWorksheet('Danh mục');
    hidden.state = 'hidden';
    hidden.addRow(['Mã']);
    hidden.addRow(['x']);
    wb.addWorksheet('Chủ thể').addRows([['Tên'], ['HTX Ong Việt']]);
    wb.addWorksheet('Sản phẩm').addRows([['Tên sản phẩm'], ['Mật ong']]);
  });
  assert.equal((await readTable(file, 'f.xlsx')).sheetName, 'Chủ thể');
  const named = await readTable(file, 'f.xlsx', { sheet: 'sản phẩm' });
  assert.equal(named.sheetName, 'Sản phẩm');
  assert.deepEqual(named.rows, [{ row: 2, cells: ['Mật ong'] }]);
  await rejectsWith(readTable(file, 'f.xlsx', { sheet: 'Tổng hợp' }), 'spreadsheet_sheet_not_found', {
    sheet: 'Tổng hợp',
    available: 'Danh mục, Chủ thể, Sản phẩm',
  });
});

test('XLSX: empty sheets, header checks and the row limit', async () => {
  const empty = await xlsx((wb) => {
    wb.addWorksheet('Trống').getCell('C3').value = '   ';
  });
  await rejectsWith(readTable(empty, 'e.xlsx'), 'spreadsheet_empty');
  const dup = await xlsx((wb) => {
    wb.addWorksheet('S').addRows([
      ['Tên', 'Giá', 'TÊN'],
      ['a', 1, 'b'],
    ]);
  });
  await rejectsWith(readTable(dup, 'd.xlsx'), 'spreadsheet_bad_header', { column: 'C' });
  const many = await xlsx((wb) => {
    const ws = wb.addWorksheet('S');
    ws.addRow(['Mã']);
    for (let i = 0; i < 20; i++) ws.addRow([`M${i}`]);
  });
  await rejectsWith(readTable(many, 'r.xlsx', { maxRows: 19 }), 'spreadsheet_too_many_rows', { max: 19 });
  assert.equal((await readTable(many, 'r.xlsx', { maxRows: 20 })).rows.length, 20);
});

test('an .xlsx that says it inflates past the limit (a zip bomb) is refused before unpacking', async () => {
  const file = Buffer.from(
    await xlsx((wb) => {
      wb.addWorksheet('Danh sách').addRow(['Tên chủ thể']);
    }),
  );
  // make the first central-directory entry claim 400 MB once inflated
  const central = file.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  assert.ok(central > 0);
  file.writeUInt32LE(400 * 1024 * 1024, central + 24);
  await assert.rejects(readTable(file, 'bom.xlsx'), (error: unknown) => {
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, 'spreadsheet_too_large');
    return true;
  });
});
