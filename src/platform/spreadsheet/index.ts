/**
 * Spreadsheet import and export for the modules: read an uploaded .xlsx/CSV into a table of plain
 * cells (readTable), coerce cells into typed values with rule keys for the dry-run report
 * (values.ts), recognise its columns from their headings (headings.ts: foldHeading, guessMapping),
 * and export any list to CSV or .xlsx (toCsv, toXlsx). Messages: spreadsheetMessages.
 */
export { type Delimiter, detectDelimiter } from './csv.ts';
export { type DecodedText, decodeTcvn3, decodeText, type TextEncodingName } from './encoding.ts';
export { foldHeading, guessMapping, type HeadingField } from './headings.ts';
export {
  type Cell,
  columnLetter,
  DEFAULT_MAX_ROWS,
  type ReadTableOptions,
  readTable,
  type Table,
  type TableRow,
} from './read.ts';
export { spreadsheetMessages } from './spreadsheet.messages.ts';
export {
  type CellFailure,
  type CellResult,
  type DecimalOptions,
  formatDate,
  MAX_DATE,
  MIN_DATE,
  parseBooleanCell,
  parseDateCell,
  parseDecimalCell,
  parseIntegerCell,
  type RangeOptions,
  textCell,
} from './values.ts';
export {
  type Column,
  type CsvOptions,
  type ExportValue,
  safeSheetName,
  toCsv,
  toVietnamDate,
  toXlsx,
} from './write.ts';
