/**
 * The official OCOP product code: pure rules, no I/O.
 *
 * Decides how an OCOP product's code is written and read back. Quyết định 26/2026/QĐ-TTg (the OCOP
 * evaluation and classification rules) gives the code as (T)-(X)-(STT)-year, where
 *  - T is the 2-digit code of the province,
 *  - X the 5-digit code of the commune, both from the 2025 list of administrative units
 *    (Quyết định 19/2025/QĐ-TTg; see module admin-units),
 *  - STT the commune's running number for the product, written with at least three digits
 *    (001, 002, …; a commune that passes 999 simply gets more digits), and
 *  - year the 4-digit year of the evaluation.
 * Example: 96-32002-001-2026.
 *
 * Province and commune codes are strings, as everywhere in this project, to keep their leading
 * zeros; whether a code names a real unit is for module admin-units to say, not this file.
 */

export interface ProductCodeParts {
  /** 2-digit province code, e.g. '96'. */
  provinceCode: string;
  /** 5-digit commune code, e.g. '32002'. */
  communeCode: string;
  /** The commune's running number of the product, from 1. */
  sequence: number;
  /** The evaluation year. */
  year: number;
}

/** The first year of OCOP evaluations: the national programme dates from 2018 (Quyết định 490/QĐ-TTg). */
export const MIN_PRODUCT_CODE_YEAR = 2018;
export const MAX_PRODUCT_CODE_YEAR = 2100;
/** STT has at most six digits. */
export const MAX_PRODUCT_SEQUENCE = 999_999;

/**
 * The shape of a product code, for a PostgreSQL CHECK (`code ~ '…'`) and for HTML `pattern`.
 * It checks the shape only: parseProductCode also checks that STT is not 0 and that the year is
 * in 2018–2100.
 */
export const PRODUCT_CODE_PATTERN = '^[0-9]{2}-[0-9]{5}-[0-9]{1,6}-[0-9]{4}$';

const CODE = /^([0-9]{2})-([0-9]{5})-([0-9]{1,6})-([0-9]{4})$/;

function validSequence(sequence: number): boolean {
  return Number.isInteger(sequence) && sequence >= 1 && sequence <= MAX_PRODUCT_SEQUENCE;
}

function validYear(year: number): boolean {
  return Number.isInteger(year) && year >= MIN_PRODUCT_CODE_YEAR && year <= MAX_PRODUCT_CODE_YEAR;
}

/**
 * Writes a product code, with STT zero-padded to at least three digits. Throws RangeError when a
 * part is out of shape: province not 2 digits, commune not 5 digits, sequence not an integer in
 * 1–999999, year not an integer in 2018–2100.
 */
export function formatProductCode(parts: ProductCodeParts): string {
  const { provinceCode, communeCode, sequence, year } = parts;
  if (!/^[0-9]{2}$/.test(provinceCode)) {
    throw new RangeError(`province code must be 2 digits, got ${JSON.stringify(provinceCode)}`);
  }
  if (!/^[0-9]{5}$/.test(communeCode)) {
    throw new RangeError(`commune code must be 5 digits, got ${JSON.stringify(communeCode)}`);
  }
  if (!validSequence(sequence)) {
    throw new RangeError(`sequence must be an integer from 1 to ${MAX_PRODUCT_SEQUENCE}, got ${sequence}`);
  }
  if (!validYear(year)) {
    throw new RangeError(
      `year must be an integer from ${MIN_PRODUCT_CODE_YEAR} to ${MAX_PRODUCT_CODE_YEAR}, got ${year}`,
    );
  }
  return `${provinceCode}-${communeCode}-${String(sequence).padStart(3, '0')}-${year}`;
}

/**
 * Reads a product code (surrounding whitespace ignored) into its parts, or null when it is not one.
 * STT may have 1–6 digits, with or without leading zeros ('7', '007' and '000007' all read as 7),
 * but not be 0; the year must be in 2018–2100.
 */
export function parseProductCode(s: string): ProductCodeParts | null {
  const match = CODE.exec(s.trim());
  if (!match) return null;
  const sequence = Number(match[3]);
  const year = Number(match[4]);
  if (!validSequence(sequence) || !validYear(year)) return null;
  return { provinceCode: match[1]!, communeCode: match[2]!, sequence, year };
}
