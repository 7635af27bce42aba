import { DomainError, type FieldError } from '../../platform/errors.ts';

export const producerNotFound = () => new DomainError('producer_not_found', 'not_found');
export const producerInvalid = (fields: FieldError[]) =>
  new DomainError('validation_failed', 'invalid', {}, fields);
export const producerChanged = () => new DomainError('producer_changed', 'conflict');
export const producerForbidden = () => new DomainError('forbidden', 'forbidden');
export const signInRequired = () => new DomainError('sign_in_required', 'unauthenticated');
export const producerDuplicate = (field: 'registrationNumber' | 'taxCode') =>
  new DomainError('producer_duplicate', 'conflict', {}, [{ in: 'body', name: field, rule: 'taken' }]);
