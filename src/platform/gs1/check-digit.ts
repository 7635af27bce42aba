/**
 * GS1 check digits: pure functions, no I/O.
 *
 * Sources:
 *  - GS1 General Specifications §7.9.1 "Standard check digit calculations for GS1 data
 *    structures": the digits before the check digit, counted from the right, are weighted
 *    3, 1, 3, 1, …; the check digit is what brings the weighted sum up to a multiple of ten. One
 *    rule for every numeric GS1 key that has a check digit: GTIN-8/12/13/14, GLN, SSCC, GSIN,
 *    GSRN, GDTI, GCN, GRAI and the GTIN inside an ITIP. The syntax dictionary marks those
 *    components with the linter `csum` (`data/gs1/gs1-syntax-dictionary.txt`).
 *  - GS1 General Specifications §7.9.5 "Check character calculation (for alphanumeric keys)":
 *    the check character pair of the GMN (AI 8013) and MUDI (AI 8014), linter `csumalpha`.
 */

const DIGITS = /^[0-9]+$/;

/**
 * The GS1 mod-10 check digit for the digits that precede it: weights 3, 1, 3, … from the right.
 * Throws RangeError unless the argument is one or more ASCII digits.
 */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!DIGITS.test(digitsWithoutCheck)) {
    throw new RangeError(`a GS1 check digit needs digits only, got ${JSON.stringify(digitsWithoutCheck)}`);
  }
  let sum = 0;
  let weight = 3;
  for (let i = digitsWithoutCheck.length - 1; i >= 0; i--) {
    sum += (digitsWithoutCheck.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Whether the last digit of a digit string is the GS1 mod-10 check digit of the others. False for
 * anything that is not at least two ASCII digits. Leading zeros do not change the result, so a
 * GTIN-13 and its 14-digit form agree.
 */
export function hasValidGs1CheckDigit(digits: string): boolean {
  if (digits.length < 2 || !DIGITS.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** `digitsWithoutCheck` followed by its check digit. Throws RangeError like gs1CheckDigit. */
export function withGs1CheckDigit(digitsWithoutCheck: string): string {
  return `${digitsWithoutCheck}${gs1CheckDigit(digitsWithoutCheck)}`;
}

/** The numeric GS1 keys with a mod-10 check digit, and their lengths (check digit included). */
export const GS1_KEY_LENGTHS = {
  /** AI (01): GTIN-8, GTIN-12, GTIN-13, GTIN-14. */
  gtin: [8, 12, 13, 14],
  /** AI (414), (417), (410)–(416): Global Location Number. */
  gln: [13],
  /** AI (00): Serial Shipping Container Code. */
  sscc: [18],
  /** AI (402): Global Shipment Identification Number. */
  gsin: [17],
  /** AI (8017), (8018): Global Service Relation Number. */
  gsrn: [18],
  /** AI (253) without its serial component: Global Document Type Identifier. */
  gdti: [13],
  /** AI (255) without its serial component: Global Coupon Number. */
  gcn: [13],
  /** AI (8003) without its serial component: the leading zero, then the 13-digit GRAI. */
  grai: [14],
} as const satisfies Record<string, readonly number[]>;

export type Gs1KeyType = keyof typeof GS1_KEY_LENGTHS;

export type Gs1KeyValidation =
  | { ok: true; value: string }
  | { ok: false; reason: 'format' | 'length' | 'check_digit' };

/**
 * Checks a numeric GS1 key exactly as given (no trimming, no padding): anything but ASCII digits is
 * 'format', a length the key type does not have is 'length', a wrong last digit is 'check_digit'.
 * A GRAI must also start with its zero filler digit ('format' otherwise).
 */
export function validateGs1Key(type: Gs1KeyType, value: string): Gs1KeyValidation {
  if (!DIGITS.test(value)) return { ok: false, reason: 'format' };
  const lengths: readonly number[] = GS1_KEY_LENGTHS[type];
  if (!lengths.includes(value.length)) return { ok: false, reason: 'length' };
  if (type === 'grai' && value[0] !== '0') return { ok: false, reason: 'format' };
  if (!hasValidGs1CheckDigit(value)) return { ok: false, reason: 'check_digit' };
  return { ok: true, value };
}

// --- check character pair (csumalpha) -----------------------------------------------------------

/** GS1 AI encodable character set 82, in the order that gives each character its value 0…81. */
export const CSET82_ORDERED = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

/** The 32 characters a check character may take (no 0, 1, I, O). */
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The first `count` prime numbers: the weights of the check character pair, from the right. */
function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) {
    if (primes.every((p) => p * p > n || n % p !== 0)) primes.push(n);
  }
  return primes;
}

/** The check character pair is defined for up to 97 characters before it (97 weights). */
const PAIR_WEIGHTS = firstPrimes(97);

/**
 * The GS1 check character pair (two characters of CSET 32) for an alphanumeric key without its
 * pair: each character's CSET 82 value times a prime weight (2, 3, 5, … from the right), summed
 * modulo 1021, written as two base-32 digits. Throws RangeError for a character outside CSET 82,
 * or for more than 97 characters.
 */
export function gs1CheckCharacterPair(withoutPair: string): string {
  if (withoutPair.length > PAIR_WEIGHTS.length) {
    throw new RangeError(`a check character pair covers at most ${PAIR_WEIGHTS.length} characters`);
  }
  let sum = 0;
  for (let i = 0; i < withoutPair.length; i++) {
    const value = CSET82_ORDERED.indexOf(withoutPair.charAt(i));
    if (value < 0) throw new RangeError(`not a CSET 82 character: ${JSON.stringify(withoutPair.charAt(i))}`);
    sum += value * PAIR_WEIGHTS[withoutPair.length - 1 - i]!;
  }
  sum %= 1021;
  return `${CSET32.charAt(sum >> 5)}${CSET32.charAt(sum & 31)}`;
}

/** Whether the last two characters are the check character pair of the others. */
export function hasValidCheckCharacterPair(value: string): boolean {
  if (value.length < 2 || value.length > PAIR_WEIGHTS.length + 2) return false;
  try {
    return gs1CheckCharacterPair(value.slice(0, -2)) === value.slice(-2);
  } catch {
    return false;
  }
}

/** A GTIN-14 as printed under the barcode: the GTIN-13 when its indicator digit is 0. */
export const printedGtin = (gtin: string) =>
  gtin.length === 14 && gtin.startsWith('0') ? gtin.slice(1) : gtin;
