/**
 * CSV/TSV text → records (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes),
 * and the choice of delimiter among `,`, `;` (Excel on a Vietnamese or European locale) and tab.
 * Lenient where Excel is: a quote in the middle of an unquoted field is literal, and text after a
 * closing quote is kept. Line ends may be CRLF, LF or CR. Record numbers count every line Excel
 * would show as a row, blank ones included, so they match the row numbers the user sees.
 */
import { DomainError } from '../errors.ts';

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export interface CsvRecord {
  /** 1-based record number (Excel's row number). */
  row: number;
  fields: string[];
}

/** Yields the records of the text. Throws `csv_malformed` {row} on a quote that never closes. */
export function* csvRecords(text: string, delimiter: Delimiter): Generator<CsvRecord> {
  const n = text.length;
  let i = 0;
  let row = 0;
  while (i < n) {
    row++;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        let j = i + 1;
        for (;;) {
          const quote = text.indexOf('"', j);
          if (quote === -1) throw new DomainError('csv_malformed', 'invalid', { row });
          value += text.slice(j, quote);
          if (text[quote + 1] === '"') {
            value += '"';
            j = quote + 2;
          } else {
            j = quote + 1;
            break;
          }
        }
        i = j;
      }
      let k = i;
      while (k < n) {
        const ch = text[k];
        if (ch === delimiter || ch === '\n' || ch === '\r') break;
        k++;
      }
      value += text.slice(i, k);
      i = k;
      fields.push(value);
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      break;
    }
    yield { row, fields };
  }
}

/**
 * The delimiter that splits the first records into the same number (two or more) of fields most
 * consistently; on a tie, the one giving more columns, then `,` before `;` before tab.
 * A file of one column gets `,`.
 */
export function detectDelimiter(text: string): Delimiter {
  const sample = text.slice(0, 65_536);
  let best: { delimiter: Delimiter; consistency: number; columns: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const counts: number[] = [];
    try {
      for (const record of csvRecords(sample, delimiter)) {
        if (record.fields.every((f) => f.trim() === '')) continue;
        counts.push(record.fields.length);
        if (counts.length >= 30) break;
      }
    } catch {
      // The sample may cut a quoted field in two; judge by the records read so far.
    }
    const [columns = 0, ...rest] = counts;
    if (columns < 2) continue;
    const consistency = rest.length === 0 ? 1 : rest.filter((c) => c === columns).length / rest.length;
    if (
      !best ||
      consistency > best.consistency ||
      (consistency === best.consistency && columns > best.columns)
    ) {
      best = { delimiter, consistency, columns };
    }
  }
  return best?.delimiter ?? ',';
}
