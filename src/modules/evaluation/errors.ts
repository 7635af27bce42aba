import { DomainError } from '../../platform/errors.ts';

export const versionNotFound = (version: string) =>
  new DomainError('criteria_version_not_found', 'not_found', { version });
export const setNotFound = (version: string, set: string) =>
  new DomainError('criteria_set_not_found', 'not_found', { version, set });
export const versionExists = (version: string) =>
  new DomainError('criteria_version_exists', 'conflict', { version });
export const versionInvalid = (problems: string[]) =>
  new DomainError('criteria_version_invalid', 'invalid', {
    count: problems.length,
    first: problems[0] ?? '',
  });
