import { DomainError } from '../../platform/errors.ts';
import type { Era, Level } from './admin-code.ts';

export const adminUnitNotFound = (era: Era, code: string) =>
  new DomainError('admin_unit_not_found', 'not_found', { era, code });

export const levelNotInEra = (level: Level, era: Era) =>
  new DomainError('admin_unit_level_not_in_era', 'invalid', { level, era }, [
    { in: 'query', name: 'level', rule: 'invalid' },
  ]);
