/**
 * Identifiers of the producers behind OCOP products: Vietnamese tax codes (mã số thuế, MST) and
 * the business-registration numbers of household businesses and cooperatives. Pure rules, no I/O.
 *
 * Tax codes. Three written forms are accepted:
 *  - 10 digits: an enterprise, cooperative, household business or (before 1 July 2025) a person.
 *    Digits 1–2 are the province where the code was first issued, 3–9 a sequence number, and the
 *    10th a check digit over the first nine: Σ = d1·31 + d2·29 + d3·23 + d4·19 + d5·17 + d6·13 +
 *    d7·7 + d8·5 + d9·3, check = 10 − (Σ mod 11). For an enterprise the MST is also its enterprise
 *    code and the number of its business-registration certificate.
 *  - 10 digits, '-', 3 digits: a dependent unit (branch, representative office) of the 10-digit
 *    parent; the suffix runs 001–999 and the parent's check digit must hold.
 *  - 12 digits: since 1 July 2025 a person's tax code, also used for the household business the
 *    person runs, is their 12-digit personal identification number (số định danh cá nhân, printed
 *    on the citizen ID card) (Circular 86/2024/TT-BTC). No check digit: format only.
 *
 * The check-digit rule and its edge case, as found (search, 2026-11):
 *  - python-stdnum `stdnum/vn/mst.py` (Leandro Regueiro, 2020; python-stdnum issue #217 and PR #218,
 *    citing vi.wikipedia "Thuế Việt Nam § Mã số thuế của doanh nghiệp" and easyinvoice.vn) computes
 *    str(10 − (Σ mod 11)) and compares it with the 10th character. The result ranges over 0…10;
 *    "11" cannot arise from this form (it would from 11 − r, which is not the rule). When Σ mod 11
 *    is 0 the result is 10, which no single digit equals, so stdnum rejects every code whose first
 *    nine digits give Σ mod 11 = 0: such sequence numbers are taken never to be issued. This
 *    module does the same (reason 'check_digit').
 *  - Other public implementations map that 10 to 0 instead; none cites an official source for it,
 *    and with that mapping remainder 0 and remainder 10 would share one check digit. No tax
 *    authority text stating the algorithm was found (it is not in Circular 105/2020/TT-BTC or
 *    86/2024/TT-BTC, which fix the structure only), so the remainder-0 case stays a judgement.
 *  - The rule was checked here against 150+ real codes listed in stdnum's tests (e.g. 0100233488,
 *    0314409058-002, 2000102580, 8037630690) and against enterprise numbers printed in public site
 *    footers (0108150321, 0106790291, 0102852740, 0312387105, 0106633482): all hold.
 *  - Like stdnum, a sequence number of 0000000 and a branch suffix of 000 are rejected ('format').
 *
 * Registration numbers (validateRegistrationNumber) are kept permissive, because those of household
 * businesses and of cooperatives registered under earlier rules are not tax codes. Real household
 * business certificates read like 41N8033112 (Tân Bình, TP.HCM), 50H8027879 (Đức Hòa, Long An),
 * 01Q8011025 (Ba Vì, Hà Nội): province code, a letter for the district office, 8 for the household
 * business type, then a 6-digit sequence; they are also written with dots or dashes (41.N.8.033112).
 * Recently registered cooperatives usually show their 10-digit tax code as the certificate number
 * (not confirmed here from the decree text); older certificates carry office-specific numbers. The
 * check is a sanity check against garbage, not a structure check.
 */

export type TaxCodeValidation =
  | { ok: true; taxCode: string }
  | { ok: false; reason: 'format' | 'check_digit' };

export type RegistrationNumberValidation = { ok: true; value: string } | { ok: false; reason: 'format' };

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

const TEN_DIGITS = /^[0-9]{10}$/;
const BRANCH = /^([0-9]{10})-([0-9]{3})$/;
const TWELVE_DIGITS = /^[0-9]{12}$/;

/**
 * The check digit (10th digit) of a 10-digit tax code from its first nine digits, or null when
 * 10 − (Σ mod 11) is 10 and no digit can be the check digit. Throws RangeError unless given
 * exactly nine ASCII digits.
 */
export function taxCodeCheckDigit(firstNine: string): number | null {
  if (!/^[0-9]{9}$/.test(firstNine)) {
    throw new RangeError(`taxCodeCheckDigit needs nine digits, got ${JSON.stringify(firstNine)}`);
  }
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (firstNine.charCodeAt(i) - 48) * WEIGHTS[i]!;
  const check = 10 - (sum % 11);
  return check === 10 ? null : check;
}

function checkTenDigits(code: string): TaxCodeValidation | undefined {
  if (code.slice(2, 9) === '0000000') return { ok: false, reason: 'format' };
  if (taxCodeCheckDigit(code.slice(0, 9)) !== code.charCodeAt(9) - 48)
    return { ok: false, reason: 'check_digit' };
  return undefined;
}

/**
 * Checks a tax code as typed (surrounding whitespace ignored): 10 digits with a valid check
 * digit, 10 such digits + '-' + a 3-digit branch number other than 000, or 12 digits.
 */
export function validateTaxCode(input: string): TaxCodeValidation {
  const code = input.trim();
  if (TEN_DIGITS.test(code)) return checkTenDigits(code) ?? { ok: true, taxCode: code };
  const branch = BRANCH.exec(code);
  if (branch) {
    if (branch[2] === '000') return { ok: false, reason: 'format' };
    return checkTenDigits(branch[1]!) ?? { ok: true, taxCode: code };
  }
  if (TWELVE_DIGITS.test(code)) return { ok: true, taxCode: code };
  return { ok: false, reason: 'format' };
}

/** Letters and digits, single '-', '.' or '/' between them; nothing else. */
const REGISTRATION_NUMBER = /^[A-Z0-9]+(?:[-./][A-Z0-9]+)*$/;

/**
 * Checks the number of a business-registration certificate (enterprise, household business,
 * cooperative) permissively: after trimming and upper-casing, 6–20 characters of Latin letters,
 * digits and single separators '-', '.', '/' (not first or last), with at least five digits.
 * Returns the trimmed, upper-cased value; separators are kept as written.
 */
export function validateRegistrationNumber(input: string): RegistrationNumberValidation {
  // "61.A.8.001234", "61 A8 001234" and "61A8001234" are one number: dots and spaces are layout
  const value = input.trim().toUpperCase().replace(/[.\s]/g, '');
  if (value.length < 6 || value.length > 20) return { ok: false, reason: 'format' };
  if (!REGISTRATION_NUMBER.test(value)) return { ok: false, reason: 'format' };
  let digits = 0;
  for (const ch of value) if (ch >= '0' && ch <= '9') digits++;
  if (digits < 5) return { ok: false, reason: 'format' };
  return { ok: true, value };
}
