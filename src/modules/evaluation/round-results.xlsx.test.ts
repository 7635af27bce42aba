import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import type { MinutesProduct, RoundMinutes } from './round.model.ts';
import { roundResultsXlsx } from './round-results.xlsx.ts';

const product = (position: number, patch: Partial<MinutesProduct> = {}): MinutesProduct => ({
  position,
  productName: `Chè Shan tuyết cổ thụ Tà Xùa số ${position}`,
  productCode: `14-04486-${String(position).padStart(3, '0')}-2026`,
  producerName: 'Hợp tác xã Nông nghiệp và Dịch vụ tổng hợp Chè Tà Xùa',
  set: 11,
  setName: 'Chè tươi, chè chế biến',
  kind: 'first_evaluation',
  memberTotals: [
    { name: 'Nguyễn Văn A', total: 72.5 },
    { name: 'Trần Thị Bích Ngọc', total: 70 },
    { name: 'Lê Quốc Việt', total: 75.125 },
  ],
  recused: [],
  score: (72.5 + 70 + 75.125) / 3,
  spread: 5.125,
  spreadExceeded: false,
  spreadOverride: null,
  stars: 4,
  failedGates: [],
  disqualified: [],
  outcome: 'recognise',
  ...patch,
});

const minutes = (products: MinutesProduct[]): RoundMinutes => ({
  provinceName: 'Hà Giang',
  roundName: 'Đợt 1 năm 2026',
  level: 'province',
  scoringDate: '2026-05-20',
  criteriaVersion: '26/2026/QĐ-TTg',
  quorum: { voting: 7, present: 7, required: 5, met: true },
  members: [],
  products,
  decision: null,
  generatedAt: '2026-05-20T10:00:00Z',
});

const HEADERS = [
  'STT',
  'Tên sản phẩm',
  'Mã sản phẩm',
  'Chủ thể',
  'Bộ sản phẩm',
  'Loại hồ sơ',
  'Điểm',
  'Độ chênh lệch',
  'Số sao',
  'Điểm tối thiểu không đạt',
  'Kết quả',
  'Điểm từng thành viên',
];

async function read(buffer: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  assert.equal(workbook.worksheets.length, 1);
  return workbook.worksheets[0]!;
}

const rowValues = (sheet: ExcelJS.Worksheet, row: number) =>
  HEADERS.map((_, i) => sheet.getRow(row).getCell(i + 1).value);

test('one row per product, in round order, with the words and numbers of the minutes', async () => {
  const products = [
    product(2, {
      productName: 'Nước mắm cá cơm truyền thống Phú Quốc thượng hạng',
      productCode: null,
      kind: 'upgrade',
      recused: ['Phạm Thị Thu Hường'],
      score: 91.2345,
      spread: 12,
      spreadExceeded: true,
      stars: 5,
      outcome: 'forward_central',
    }),
    product(1),
    product(3, {
      kind: 're_evaluation',
      score: 48,
      stars: 3,
      failedGates: [
        { criterion: '1.1', stars: 4, required: 3, actual: 2.333333 },
        { criterion: '2.4', stars: 3, required: 1, actual: 0.5 },
      ],
      outcome: 'recognise',
    }),
    product(4, { stars: 0, disqualified: ['Không có giấy chứng nhận ATTP'], outcome: 'disqualified' }),
    product(5, { stars: 2, score: 45, outcome: 'not_recognised' }),
    product(6, { stars: 5, score: 93, outcome: 'recognise_5_star' }),
    product(7, { memberTotals: [], score: null, spread: null, stars: null, outcome: null }),
  ];
  const sheet = await read(await roundResultsXlsx(minutes(products)));
  assert.equal(sheet.name, 'Kết quả');
  assert.deepEqual(rowValues(sheet, 1), HEADERS);
  assert.equal(sheet.rowCount, 8);

  assert.deepEqual(rowValues(sheet, 2), [
    1,
    'Chè Shan tuyết cổ thụ Tà Xùa số 1',
    '14-04486-001-2026',
    'Hợp tác xã Nông nghiệp và Dịch vụ tổng hợp Chè Tà Xùa',
    'Số 11: Chè tươi, chè chế biến',
    'Đánh giá lần đầu',
    72.54,
    5.13,
    4,
    null,
    'Đề nghị công nhận',
    'Nguyễn Văn A: 72,50; Trần Thị Bích Ngọc: 70,00; Lê Quốc Việt: 75,13',
  ]);
  const second = rowValues(sheet, 3);
  assert.equal(second[1], 'Nước mắm cá cơm truyền thống Phú Quốc thượng hạng');
  assert.equal(second[2], null);
  assert.equal(second[5], 'Nâng hạng');
  assert.equal(second[6], 91.23);
  assert.equal(second[10], 'Đề nghị đánh giá cấp trung ương (5 sao)');
  assert.match(String(second[11]), /Phạm Thị Thu Hường: không chấm do xung đột lợi ích$/);

  const third = rowValues(sheet, 4);
  assert.equal(third[5], 'Đánh giá lại');
  assert.equal(
    third[9],
    'Tiêu chí 1.1 (mức 4 sao): yêu cầu 3,00, thực tế 2,33; Tiêu chí 2.4 (mức 3 sao): yêu cầu 1,00, thực tế 0,50',
  );
  assert.deepEqual(
    [5, 6, 7, 8].map((row) => sheet.getRow(row).getCell(11).value),
    ['Bị loại', 'Không đạt (dưới 3 sao)', 'Đề nghị công nhận 5 sao', 'Chưa có kết quả'],
  );
  assert.equal(sheet.getRow(5).getCell(9).value, 0);
  assert.deepEqual(
    [7, 8, 9, 12].map((column) => sheet.getRow(8).getCell(column).value),
    [null, null, null, null],
    'an unscored product has no points, no stars, no member totals',
  );

  // Points are shown with two decimals; the header stays bold and frozen.
  assert.equal(sheet.getRow(2).getCell(7).numFmt, '0.00');
  assert.equal(sheet.getRow(2).getCell(8).numFmt, '0.00');
  assert.equal(sheet.getRow(2).getCell(3).numFmt, '@');
  assert.equal(sheet.getRow(1).getCell(1).font?.bold, true);
  assert.equal(sheet.views[0]?.state, 'frozen');
});

test('a round without products gives the header row only', async () => {
  const sheet = await read(await roundResultsXlsx(minutes([])));
  assert.equal(sheet.name, 'Kết quả');
  assert.deepEqual(rowValues(sheet, 1), HEADERS);
  assert.equal(sheet.rowCount, 1);
});

test('Vietnamese text survives intact, in NFC and NFD alike, and no cell becomes a formula', async () => {
  const name = 'Bánh đa nem làng Chều — “đặc sản” Hưng Yên';
  const sheet = await read(
    await roundResultsXlsx(
      minutes([
        product(1, { productName: name, producerName: '=HYPERLINK("http://x","Cơ sở Ứng Hòa")' }),
        product(2, { productName: name.normalize('NFD') }),
      ]),
    ),
  );
  assert.equal(sheet.getRow(2).getCell(2).value, name);
  assert.equal(String(sheet.getRow(3).getCell(2).value).normalize('NFC'), name);
  assert.equal(sheet.getRow(2).getCell(4).value, '=HYPERLINK("http://x","Cơ sở Ứng Hòa")');
  assert.equal(sheet.getRow(2).getCell(4).formula, undefined);
});
