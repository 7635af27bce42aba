/**
 * Exporting a list to CSV and .xlsx, column by column.
 *
 * CSV: UTF-8 with a BOM (without it Excel reads the bytes as the ANSI code page and garbles the
 * diacritics), CRLF line ends, RFC 4180 quoting, dates as dd/mm/yyyy, and protection against formula
 * injection: a text cell starting with = + - @ tab or CR gets a leading apostrophe, which readTable
 * removes again on import.
 * XLSX: a bold, frozen header row with an autofilter, column widths, real Excel dates shown
 * dd/mm/yyyy, money as whole đồng with a thousands format (Excel shows the separator of the user's
 * locale), text columns formatted as text so that codes such as 0123 survive editing.
 *
 * Dates are calendar dates: a Date is written by its UTC date (as `new Date('2024-04-03')` gives);
 * for a moment in time use toVietnamDate first. A 'date' column may also give ISO `YYYY-MM-DD` strings.
 */
import ExcelJS from 'exceljs';
import { formatDate } from './values.ts';

export type ExportValue = string | number | boolean | Date | null;

export interface Column<T> {
  header: string;
  value: (row: T) => ExportValue;
  /** Width in characters; by default from the header and the longest value (up to 60). */
  width?: number;
  kind?: 'text' | 'number' | 'date' | 'money';
}

export interface CsvOptions {
  /**
   * ',' (default) or ';'. Excel on a Vietnamese-locale Windows splits CSV columns on ';' only;
   * with ';' decimals are written with a decimal comma, as that Excel expects.
   */
  delimiter?: ',' | ';';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const VIETNAM_OFFSET_MS = 7 * 3_600_000; // Asia/Ho_Chi_Minh: UTC+7, no daylight saving

/** The calendar date in Vietnam of a moment, as a Date at UTC midnight (the form the exporters write). */
export function toVietnamDate(instant: Date): Date {
  const shifted = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()));
}

function asDate<T>(column: Column<T>, value: ExportValue): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (column.kind === 'date' && typeof value === 'string' && ISO_DATE.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

function csvText<T>(column: Column<T>, value: ExportValue, delimiter: ',' | ';'): string {
  if (value === null) return '';
  const date = asDate(column, value);
  if (date) return formatDate(date);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    const text = String(column.kind === 'money' ? Math.round(value) : value);
    return delimiter === ';' ? text.replace('.', ',') : text;
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return ''; // an invalid Date
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Quotes text holding a quote, a line break, leading or trailing space, or either delimiter. */
function quote(text: string, delimiter: string): string {
  if (text.includes(delimiter) || /[",;\r\n]/.test(text) || /^\s|\s$/.test(text)) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** The rows as CSV text, starting with a BOM; encode it as UTF-8 (Buffer.from(text, 'utf8')). */
export function toCsv<T>(columns: Column<T>[], rows: Iterable<T>, options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const lines = [columns.map((c) => quote(c.header, delimiter)).join(delimiter)];
  for (const row of rows) {
    const fields = columns.map((c) => {
      const value = c.value(row);
      const text = csvText(c, value, delimiter);
      // A number is never quoted: with ';' its decimal comma is no delimiter.
      return typeof value === 'number' ? text : quote(text, delimiter);
    });
    lines.push(fields.join(delimiter));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/g;

/** A name Excel accepts: no []:*?/\, not starting or ending with ', at most 31 characters. */
export function safeSheetName(name: string): string {
  const cleaned = [
    ...name
      .replace(SHEET_NAME_FORBIDDEN, ' ')
      .replace(/^'+|'+$/g, '')
      .trim(),
  ]
    .slice(0, 31)
    .join('')
    .trim();
  return cleaned === '' ? 'Sheet1' : cleaned;
}

// XML 1.0 cannot hold most control characters; exceljs would write a file Excel refuses to open.
const XML_INVALID = /[\p{Cc}\p{Cs}\uFFFE\uFFFF]/gu;
const EXCEL_MAX_TEXT = 32_767;

const NUM_FMT: Record<NonNullable<Column<unknown>['kind']>, string | undefined> = {
  text: '@',
  number: undefined,
  date: 'dd/mm/yyyy',
  money: '#,##0',
};

/** The rows as an .xlsx workbook of one worksheet. */
export async function toXlsx<T>(sheetName: string, columns: Column<T>[], rows: Iterable<T>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date();
  const ws = workbook.addWorksheet(safeSheetName(sheetName), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  const widths = columns.map((c) => Math.max(8, ...c.header.split('\n').map((line) => line.length + 2)));

  let rowNumber = 1;
  for (const item of rows) {
    rowNumber++;
    const row = ws.getRow(rowNumber);
    columns.forEach((column, i) => {
      const cell = row.getCell(i + 1);
      const raw = column.value(item);
      const date = asDate(column, raw);
      let length = 0;
      if (raw === null) {
        cell.value = null;
      } else if (date) {
        cell.value = date;
        cell.numFmt = 'dd/mm/yyyy';
        length = 10;
      } else if (typeof raw === 'number') {
        if (Number.isFinite(raw)) {
          const value = column.kind === 'money' ? Math.round(raw) : raw;
          cell.value = value;
          length = column.kind === 'money' ? value.toLocaleString('vi-VN').length : String(value).length;
        }
      } else if (typeof raw === 'boolean') {
        cell.value = raw;
        length = 5;
      } else if (typeof raw === 'string') {
        const text = raw
          .replace(XML_INVALID, (ch) => (ch === '\t' || ch === '\n' || ch === '\r' ? ch : ''))
          .slice(0, EXCEL_MAX_TEXT);
        cell.value = text;
        length = Math.max(...text.split('\n').map((line) => line.length));
      }
      const numFmt = column.kind && !date ? NUM_FMT[column.kind] : undefined;
      if (numFmt && (column.kind !== 'text' || typeof cell.value === 'string')) cell.numFmt = numFmt;
      widths[i] = Math.max(widths[i] ?? 0, length + 2);
    });
  }

  columns.forEach((column, i) => {
    const col = ws.getColumn(i + 1);
    col.width = column.width ?? Math.min(60, Math.max(column.kind === 'date' ? 12 : 8, widths[i] ?? 8));
  });
  if (columns.length > 0) {
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  }
  const data: unknown = await workbook.xlsx.writeBuffer();
  return Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
}
