/**
 * The result list of an evaluation round as an .xlsx workbook (sheet "Kết quả"): one row per
 * product, in round order, with the same words as the minutes (`round-minutes.pdf.ts`). Points are
 * numbers rounded to two decimals and shown with two decimals; the member totals are one text
 * column ("Nguyễn Văn A: 72,50; …").
 */
import ExcelJS from 'exceljs';
import { type Column, toXlsx } from '../../platform/spreadsheet/index.ts';
import type { MinutesProduct, RoundMinutes } from './round.model.ts';
import {
  failedGateText,
  kindWords,
  memberTotalsText,
  outcomeText,
  RECUSED_WORDS,
  setText,
} from './round-minutes.pdf.ts';

export const RESULTS_SHEET = 'Kết quả';

const round2 = (points: number | null) =>
  points === null ? null : Math.round((points + Math.sign(points) * Number.EPSILON) * 100) / 100;

const COLUMNS: Column<MinutesProduct>[] = [
  { header: 'STT', value: (p) => p.position, kind: 'number', width: 6 },
  { header: 'Tên sản phẩm', value: (p) => p.productName, kind: 'text' },
  { header: 'Mã sản phẩm', value: (p) => p.productCode, kind: 'text' },
  { header: 'Chủ thể', value: (p) => p.producerName, kind: 'text' },
  { header: 'Bộ sản phẩm', value: setText, kind: 'text' },
  { header: 'Loại hồ sơ', value: (p) => kindWords(p.kind), kind: 'text' },
  { header: 'Điểm', value: (p) => round2(p.score), kind: 'number', width: 9 },
  { header: 'Độ chênh lệch', value: (p) => round2(p.spread), kind: 'number', width: 14 },
  { header: 'Số sao', value: (p) => p.stars, kind: 'number', width: 8 },
  {
    header: 'Điểm tối thiểu không đạt',
    value: (p) => (p.failedGates.length ? p.failedGates.map(failedGateText).join('; ') : null),
    kind: 'text',
  },
  { header: 'Kết quả', value: (p) => outcomeText(p.outcome), kind: 'text' },
  {
    header: 'Điểm từng thành viên',
    value: (p) => {
      const totals = memberTotalsText(p);
      const recused = p.recused.length ? `${p.recused.join(', ')}: ${RECUSED_WORDS}` : '';
      return [totals, recused].filter(Boolean).join('; ') || null;
    },
    kind: 'text',
  },
];

/** The 1-based columns holding points: shown with two decimals. */
const POINT_COLUMNS = ['Điểm', 'Độ chênh lệch'].map(
  (header) => COLUMNS.findIndex((c) => c.header === header) + 1,
);

/** The round's result list as an .xlsx workbook. */
export async function roundResultsXlsx(minutes: RoundMinutes): Promise<Buffer> {
  const products = [...minutes.products].sort((a, b) => a.position - b.position);
  const plain = await toXlsx(RESULTS_SHEET, COLUMNS, products);
  // toXlsx has no number format per column: set "0.00" on the point columns of its workbook.
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(plain as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  for (const column of POINT_COLUMNS) {
    for (let row = 2; row <= products.length + 1; row++) {
      const cell = sheet.getRow(row).getCell(column);
      if (typeof cell.value === 'number') cell.numFmt = '0.00';
    }
  }
  const data: unknown = await workbook.xlsx.writeBuffer();
  return Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
}
