/** GS1 company prefixes of the keys a producer names. */

/**
 * Whether an SSCC belongs to the company of a GTIN: the SSCC's company prefix (after its extension
 * digit) is the GTIN's (after its indicator), over the company prefix length Vietnam's 893 numbers
 * use (10 digits; 7 elsewhere, the shortest a GS1 Company Prefix may be).
 */
export function hasCompanyPrefixOf(sscc: string, gtin14: string): boolean {
  const length = gtin14.slice(1, 4) === '893' ? 10 : 7;
  return sscc.slice(1, 1 + length) === gtin14.slice(1, 1 + length);
}
