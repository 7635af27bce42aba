/**
 * Recognising an import's columns from the headings people type: a heading is folded (case,
 * diacritics, punctuation and spacing ignored) and compared with each field's aliases. Pure.
 */

/** A column an import understands, with the headings it goes by (already folded). */
export interface HeadingField {
  key: string;
  aliases: readonly string[];
}

/** A heading as compared: lower case, no diacritics (đ → d), words separated by single spaces. */
export function foldHeading(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Column index per field, guessed from the headings (the user can change it before importing):
 * the first heading, not yet taken, equal to one of the field's aliases; fields in their order.
 */
export function guessMapping(
  headings: readonly string[],
  fields: readonly HeadingField[],
): Record<string, number> {
  const folded = headings.map(foldHeading);
  const mapping: Record<string, number> = {};
  const taken = new Set<number>();
  for (const field of fields) {
    const index = folded.findIndex((h, i) => !taken.has(i) && field.aliases.includes(h));
    if (index >= 0) {
      mapping[field.key] = index;
      taken.add(index);
    }
  }
  return mapping;
}
