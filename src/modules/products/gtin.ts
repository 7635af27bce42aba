/**
 * GS1 Global Trade Item Numbers (GTIN, the number under a product's barcode): pure rules, no I/O.
 *
 * Decides whether a GTIN is well formed, computes its check digit, pads it to the 14-digit form
 * used in GS1 data exchange, and tells whether it was issued under GS1 Vietnam's prefix.
 *
 * Sources:
 *  - GS1 General Specifications §7.9.1 "Standard check digit calculations for GS1 data
 *    structures": the digits before the check digit, counted from the right, are weighted
 *    3, 1, 3, 1, …; the check digit is what brings the weighted sum up to a multiple of ten.
 *    The same rule serves GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) and GTIN-14.
 *  - GS1 Vietnam (gs1.org.vn, "About us"): Vietnam's GS1 prefix is 893. For a GTIN-13 the prefix
 *    is its first three digits; a GTIN-14 is an indicator digit followed by the GTIN-13 it wraps
 *    (without that GTIN-13's check digit), so there the prefix is digits 2–4. A GTIN-12 written as
 *    14 digits starts with 00 and so never carries 893. GTIN-8 numbers are issued from a separate
 *    GS1-8 prefix range; this module makes no claim about them (false).
 */

import { gs1CheckDigit, hasValidGs1CheckDigit } from '../../platform/gs1/check-digit.ts';

/** The lengths a GTIN can have. */
export const GTIN_LENGTHS: readonly number[] = [8, 12, 13, 14];

/** GS1 Vietnam's prefix. */
export const VIETNAM_GS1_PREFIX = '893';

export type GtinValidation =
  | { ok: true; gtin: string }
  | { ok: false; reason: 'format' | 'length' | 'check_digit' };

const DIGITS = /^[0-9]+$/;

/**
 * The GS1 mod-10 check digit for the digits that precede it: weights 3, 1, 3, … from the right
 * (the one implementation is `platform/gs1/check-digit.ts`).
 * Throws RangeError unless the argument is one or more ASCII digits.
 */
export function gtinCheckDigit(digitsWithoutCheck: string): number {
  return gs1CheckDigit(digitsWithoutCheck);
}

/**
 * Checks a GTIN-8, -12, -13 or -14 as typed: surrounding whitespace is ignored, anything else
 * that is not a digit (inner spaces, dashes, letters, an empty string) is 'format'; a digit string
 * of another length is 'length'; a wrong last digit is 'check_digit'. The GTIN is returned as given
 * (trimmed), not padded: use toGtin14 to compare GTINs of different lengths.
 */
export function validateGtin(input: string): GtinValidation {
  const gtin = input.trim();
  if (!DIGITS.test(gtin)) return { ok: false, reason: 'format' };
  if (!GTIN_LENGTHS.includes(gtin.length)) return { ok: false, reason: 'length' };
  if (!hasValidGs1CheckDigit(gtin)) return { ok: false, reason: 'check_digit' };
  return { ok: true, gtin };
}

/**
 * The 14-digit form of a valid GTIN (left-padded with zeros), under which one trade item has one
 * key whatever barcode it carries. Throws RangeError for an invalid GTIN.
 */
export function toGtin14(gtin: string): string {
  const result = validateGtin(gtin);
  if (!result.ok) throw new RangeError(`not a valid GTIN (${result.reason}): ${JSON.stringify(gtin)}`);
  return result.gtin.padStart(14, '0');
}

/**
 * Whether a valid GTIN-13 or GTIN-14 carries GS1 Vietnam's prefix 893 (it was numbered by a
 * company registered with GS1 Vietnam, which is not the same as made in Vietnam). False for
 * invalid GTINs, GTIN-12 and GTIN-8.
 */
export function isVietnamGtin(gtin: string): boolean {
  const result = validateGtin(gtin);
  if (!result.ok) return false;
  const value = result.gtin;
  if (value.length === 13) return value.startsWith(VIETNAM_GS1_PREFIX);
  if (value.length === 14) return value.slice(1, 4) === VIETNAM_GS1_PREFIX;
  return false;
}
