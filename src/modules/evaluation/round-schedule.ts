/**
 * The regular rounds of a year (QĐ 26/2026 Điều 5), as data. A province holds at least two:
 * round 1 ends by 30/6 for dossiers the communes forwarded by 30/4; round 2 ends by 30/12 for
 * dossiers forwarded by 30/10. The central round (5★ candidates) also twice: round 1 ends by 30/9
 * for dossiers the province sent by 30/7; round 2 ends by 30/3 of the next year for dossiers sent
 * by 30/1 of the next year. Extra rounds (number 3 and up) are allowed when the council's rules
 * and plan provide for them: their dates are set by the office.
 */
import type { RoundLevel } from './round.model.ts';

interface RegularRound {
  /** Month-day the dossiers must arrive by, and whether it falls in the next year. */
  filesBy: { month: number; day: number; nextYear: boolean };
  closesBy: { month: number; day: number; nextYear: boolean };
}

export const REGULAR_ROUNDS: Readonly<Record<RoundLevel, Readonly<Record<1 | 2, RegularRound>>>> = {
  province: {
    1: { filesBy: { month: 4, day: 30, nextYear: false }, closesBy: { month: 6, day: 30, nextYear: false } },
    2: {
      filesBy: { month: 10, day: 30, nextYear: false },
      closesBy: { month: 12, day: 30, nextYear: false },
    },
  },
  central: {
    1: { filesBy: { month: 7, day: 30, nextYear: false }, closesBy: { month: 9, day: 30, nextYear: false } },
    2: { filesBy: { month: 1, day: 30, nextYear: true }, closesBy: { month: 3, day: 30, nextYear: true } },
  },
};

const iso = (year: number, d: { month: number; day: number; nextYear: boolean }) =>
  `${year + (d.nextYear ? 1 : 0)}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** The official dates of a regular round; null for an extra round (its dates are the office's). */
export function regularSchedule(
  level: RoundLevel,
  year: number,
  number: number,
): { filesBy: string; closesBy: string } | null {
  if (number !== 1 && number !== 2) return null;
  const round = REGULAR_ROUNDS[level][number];
  return { filesBy: iso(year, round.filesBy), closesBy: iso(year, round.closesBy) };
}
