/** Administrative-unit codes and eras: pure rules, no I/O. */
export const ERAS = ['2025', 'pre2025'] as const;
export type Era = (typeof ERAS)[number];

export const LEVELS = ['province', 'district', 'commune'] as const;
export type Level = (typeof LEVELS)[number];

/** Official codes: 2 digits for a province, 3 for a (pre-2025) district, 5 for a commune. */
export const CODE_PATTERN = '^([0-9]{2}|[0-9]{3}|[0-9]{5})$';
export const PARENT_CODE_PATTERN = '^([0-9]{2}|[0-9]{3})$';

const LEVEL_BY_LENGTH: Record<number, Level> = { 2: 'province', 3: 'district', 5: 'commune' };

/** The level a well-formed code belongs to, or undefined for a malformed code. */
export function levelOfCode(code: string): Level | undefined {
  return /^[0-9]+$/.test(code) ? LEVEL_BY_LENGTH[code.length] : undefined;
}

/** Districts were abolished on 1 July 2025: the 2025 era has provinces and communes only. */
export function levelExistsInEra(level: Level, era: Era): boolean {
  return era === 'pre2025' || level !== 'district';
}

/**
 * What a unit's succession looks like from the old unit's side: 'full' when the whole old unit
 * went into exactly this new unit, 'partial' when only a part did. For a district (which has no
 * successor of its own) it follows from its communes: full only if every commune went, whole,
 * into this one new commune.
 */
export function districtMerge(
  communeRows: { oldCode: string; newCode: string; merge: 'full' | 'partial' }[],
  newCode: string,
): 'full' | 'partial' {
  const communes = new Set(communeRows.map((row) => row.oldCode));
  const whollyHere = [...communes].every((commune) => {
    const rows = communeRows.filter((row) => row.oldCode === commune);
    return rows.length === 1 && rows[0]!.newCode === newCode && rows[0]!.merge === 'full';
  });
  return communes.size > 0 && whollyHere ? 'full' : 'partial';
}
