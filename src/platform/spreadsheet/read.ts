/**
 * Reading an uploaded spreadsheet (.xlsx, or CSV/TSV text) into a table of plain cells, for the
 * import flow (map columns → dry run → commit). The format is decided from the bytes, not the name:
 * a zip is an .xlsx workbook, anything else is read as delimited text (see encoding.ts for how its
 * encoding is found, csv.ts for how it is split).
 *
 * The header row is the first row with any content; fully empty rows are skipped; row numbers are
 * the ones the user sees in Excel, so that problems can be reported by row and column.
 * Strings are NFC-normalised and trimmed, and an empty string becomes null. Header names have their
 * runs of white space (line breaks typed with Alt+Enter included) collapsed to one space.
 */
import ExcelJS from 'exceljs';
import { DomainError } from '../errors.ts';
import { zipUncompressedSize } from '../files/index.ts';
import { csvRecords, type Delimiter, detectDelimiter } from './csv.ts';
import { decodeText, type TextEncodingName } from './encoding.ts';

export type Cell = string | number | boolean | Date | null;

export interface TableRow {
  /** 1-based row number in the file. */
  row: number;
  /** One cell per header, in the same order. */
  cells: Cell[];
}

export interface Table {
  /** The worksheet read, for .xlsx; null for CSV. */
  sheetName: string | null;
  /** 1-based row of the headers in the file. */
  headerRow: number;
  headers: string[];
  rows: TableRow[];
  format: 'xlsx' | 'csv';
  /**
   * How CSV text was decoded; null for .xlsx. 'windows-1258' and 'tcvn3' mean a legacy encoding
   * was guessed from the content: the UI should warn and ask the user to check the diacritics.
   */
  encoding: TextEncodingName | null;
  /** The CSV delimiter found; null for .xlsx. */
  delimiter: Delimiter | null;
}

export interface ReadTableOptions {
  /** The worksheet to read (.xlsx); by default the first visible one. */
  sheet?: string;
  /** The most data rows accepted (the header row not counted). */
  maxRows?: number;
}

export const DEFAULT_MAX_ROWS = 50_000;

/**
 * Reads the first table of a spreadsheet file.
 *
 * Errors (DomainError codes): `spreadsheet_empty`, `spreadsheet_bad_header` {row, column, header},
 * `spreadsheet_merged_header` {cells}, `spreadsheet_too_many_rows` {max},
 * `spreadsheet_sheet_not_found` {sheet, available}, `spreadsheet_xls_unsupported`,
 * `spreadsheet_unsupported_format`, `spreadsheet_unreadable`, `csv_malformed` {row},
 * `csv_legacy_encoding` {encoding}, `csv_unknown_encoding`; all but the first few also carry {file}.
 */
export async function readTable(
  bytes: Uint8Array,
  fileName: string,
  options: ReadTableOptions = {},
): Promise<Table> {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  switch (sniff(bytes)) {
    case 'zip':
      return readXlsx(bytes, fileName, options.sheet, maxRows);
    case 'ole':
      throw new DomainError('spreadsheet_xls_unsupported', 'invalid', { file: fileName });
    case 'markup':
      throw new DomainError('spreadsheet_unsupported_format', 'invalid', { file: fileName });
    case 'text':
      return readCsv(bytes, fileName, maxRows);
  }
}

function sniff(bytes: Uint8Array): 'zip' | 'ole' | 'markup' | 'text' {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'zip';
  // Old .xls, and password-protected .xlsx, are OLE compound files.
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'ole';
  // Many Vietnamese government systems "export to Excel" as an HTML or XML table named .xls.
  const head = new TextDecoder('latin1')
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  if (/^\s*<(?:!doctype|html|table|\?xml|\?mso)/i.test(head)) return 'markup';
  return 'text';
}

/** Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

function cleanText(text: string): string | null {
  const trimmed = text.replace(/\r\n?/g, '\n').normalize('NFC').trim();
  return trimmed === '' ? null : trimmed;
}

const isEmpty = (cells: Cell[]) => cells.every((cell) => cell === null);

function headerText(cell: Cell): string | null {
  if (cell === null) return null;
  const text =
    cell instanceof Date ? cell.toISOString().slice(0, 10) : typeof cell === 'string' ? cell : String(cell);
  return text.replace(/\s+/g, ' ').trim() || null;
}

interface RawRecord {
  row: number;
  cells: Cell[];
}

/**
 * Finds the header in the records, checks it, and shapes the data rows to it.
 * `onHeader` may check more (the .xlsx merged cells) once the header row is known.
 */
function buildTable(
  records: Iterable<RawRecord>,
  maxRows: number,
  onHeader: (row: number) => void,
): Pick<Table, 'headerRow' | 'headers' | 'rows'> {
  let headerRow = 0;
  const headers: string[] = [];
  const rows: TableRow[] = [];
  for (const record of records) {
    if (isEmpty(record.cells)) continue;
    if (headerRow === 0) {
      headerRow = record.row;
      const names = record.cells.map(headerText);
      let width = names.length;
      while (width > 0 && names[width - 1] === null) width--;
      onHeader(headerRow);
      const seen = new Set<string>();
      for (let i = 0; i < width; i++) {
        const name = names[i] ?? null;
        const key = name?.toLocaleLowerCase('vi');
        if (name === null || key === undefined || seen.has(key)) {
          throw new DomainError('spreadsheet_bad_header', 'invalid', {
            row: headerRow,
            column: columnLetter(i),
            header: name ?? '',
          });
        }
        seen.add(key);
        headers.push(name);
      }
      continue;
    }
    const width = headers.length;
    const stray = record.cells.findIndex((cell, i) => i >= width && cell !== null);
    if (stray !== -1) {
      // Data in a column without a header would otherwise be dropped without a word.
      throw new DomainError('spreadsheet_bad_header', 'invalid', {
        row: headerRow,
        column: columnLetter(stray),
        header: '',
      });
    }
    if (rows.length >= maxRows)
      throw new DomainError('spreadsheet_too_many_rows', 'invalid', { max: maxRows });
    const cells = record.cells.slice(0, width);
    while (cells.length < width) cells.push(null);
    rows.push({ row: record.row, cells });
  }
  if (headerRow === 0) throw new DomainError('spreadsheet_empty', 'invalid', {});
  return { headerRow, headers, rows };
}

// ---- CSV ----

const FORMULA_GUARD = /^'[=+\-@\t\r]/;

function csvCell(field: string): Cell {
  const text = cleanText(field);
  // Undo the apostrophe that write.ts (like most exporters) puts before =, +, -, @ against formula injection.
  return text !== null && FORMULA_GUARD.test(text) ? text.slice(1) : text;
}

function readCsv(bytes: Uint8Array, fileName: string, maxRows: number): Table {
  const { text: decoded, encoding } = decodeText(bytes, fileName);
  let text = decoded.replace(/^\uFEFF/, '');
  let delimiter: Delimiter | undefined;
  // Excel's own hint line: `sep=;`. Excel hides it, so rows are counted from the line after it.
  const hint = /^sep=(.)\r?\n?/i.exec(text);
  if (hint && (hint[1] === ',' || hint[1] === ';' || hint[1] === '\t')) {
    delimiter = hint[1];
    text = text.slice(hint[0].length);
  }
  delimiter ??= detectDelimiter(text);
  const sep = delimiter;
  function* records(): Generator<RawRecord> {
    for (const record of csvRecords(text, sep)) yield { row: record.row, cells: record.fields.map(csvCell) };
  }
  const table = buildTable(records(), maxRows, () => {});
  return { sheetName: null, format: 'csv', encoding, delimiter, ...table };
}

// ---- XLSX ----

type ExcelValue = ExcelJS.CellValue | undefined;

/** A plain cell from an exceljs value: rich text joined, formula results, hyperlink texts, error codes. */
function fromExcelValue(value: ExcelValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if ('richText' in value) return cleanText(value.richText.map((run) => run.text).join(''));
  if ('formula' in value || 'sharedFormula' in value) return fromExcelValue(value.result as ExcelValue);
  if ('hyperlink' in value) {
    const text: unknown = value.text;
    const shown =
      typeof text === 'string'
        ? text
        : text && typeof text === 'object' && 'richText' in text
          ? fromExcelValue(text as ExcelJS.CellRichTextValue)
          : null;
    return cleanText(String(shown ?? value.hyperlink.replace(/^mailto:/i, '')));
  }
  if ('error' in value) return value.error;
  return null;
}

/** The most an .xlsx may inflate to: far above any real list, far below what exhausts memory. */
export const MAX_XLSX_UNCOMPRESSED = 300 * 1024 * 1024;

async function readXlsx(bytes: Uint8Array, fileName: string, sheet: string | undefined, maxRows: number) {
  // a small archive that inflates to gigabytes is refused before exceljs unpacks it
  const inflated = zipUncompressedSize(bytes);
  if (inflated === null || inflated > MAX_XLSX_UNCOMPRESSED) {
    throw new DomainError(inflated === null ? 'spreadsheet_unreadable' : 'spreadsheet_too_large', 'invalid', {
      file: fileName,
      limit: Math.round(MAX_XLSX_UNCOMPRESSED / 1048576),
    });
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as its own ArrayBuffer-like Buffer; at run time a Node Buffer is what it wants.
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await workbook.xlsx.load(data as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    throw new DomainError('spreadsheet_unreadable', 'invalid', { file: fileName });
  }
  const sheets = workbook.worksheets;
  let worksheet: ExcelJS.Worksheet | undefined;
  if (sheet !== undefined) {
    const wanted = sheet.trim().toLocaleLowerCase('vi');
    worksheet =
      sheets.find((ws) => ws.name === sheet) ??
      sheets.find((ws) => ws.name.trim().toLocaleLowerCase('vi') === wanted);
    if (!worksheet) {
      throw new DomainError('spreadsheet_sheet_not_found', 'invalid', {
        sheet,
        available: sheets.map((ws) => ws.name).join(', '),
        file: fileName,
      });
    }
  } else {
    worksheet = sheets.find((ws) => ws.state === 'visible') ?? sheets[0];
  }
  if (!worksheet) throw new DomainError('spreadsheet_empty', 'invalid', {});
  const ws = worksheet;
  // Cheap early refusal: more rows with values than the header plus maxRows.
  if (ws.actualRowCount > maxRows + 1) {
    throw new DomainError('spreadsheet_too_many_rows', 'invalid', { max: maxRows });
  }
  function* records(): Generator<RawRecord> {
    const last = ws.rowCount;
    for (let r = 1; r <= last; r++) {
      const row = ws.findRow(r);
      if (!row?.hasValues) continue;
      const values = row.values as ExcelValue[];
      const cells: Cell[] = [];
      for (let c = 1; c < values.length; c++) cells.push(fromExcelValue(values[c]));
      yield { row: r, cells };
    }
  }
  const table = buildTable(records(), maxRows, (headerRow) => {
    const merged = mergedRangeOn(ws, headerRow);
    if (merged)
      throw new DomainError('spreadsheet_merged_header', 'invalid', { cells: merged, file: fileName });
  });
  return { sheetName: ws.name, format: 'xlsx' as const, encoding: null, delimiter: null, ...table };
}

/** The first merged range (`A1:C1`) that includes a cell of the given row, if any. */
function mergedRangeOn(ws: ExcelJS.Worksheet, rowNumber: number): string | undefined {
  let touched = false;
  ws.findRow(rowNumber)?.eachCell({ includeEmpty: true }, (cell) => {
    if (cell.isMerged) touched = true;
  });
  // A vertical merge from the row above has only slave cells here, which the loop above sees too.
  if (!touched) return undefined;
  // Only now pay for the model, which lists the merged ranges.
  for (const range of ws.model.merges) {
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range);
    if (m && Number(m[2]) <= rowNumber && rowNumber <= Number(m[4])) return range;
  }
  return 'merged';
}
