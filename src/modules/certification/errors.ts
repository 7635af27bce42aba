import { DomainError, type FieldError } from '../../platform/errors.ts';

export const certificateNotFound = () => new DomainError('certificate_not_found', 'not_found');
export const invalid = (fields: FieldError[]) => new DomainError('validation_failed', 'invalid', {}, fields);
/** The product already has a certificate in force (it must be superseded explicitly). */
export const alreadyValid = (number: string) =>
  new DomainError('certificate_already_valid', 'conflict', { number });
export const numberTaken = (number: string) =>
  new DomainError('certificate_number_taken', 'conflict', { number });
/** Revoked or superseded already: nothing more can happen to it. */
export const certificateEnded = (status: string) =>
  new DomainError('certificate_ended', 'conflict', { status });
/** The certificate is not in force: no OCOP mark for it. */
export const notInForce = (status: string) =>
  new DomainError('certificate_not_in_force', 'conflict', { status });
export const certificateChanged = () => new DomainError('certificate_changed', 'conflict');
export const productNotFound = () => new DomainError('certificate_product_not_found', 'unprocessable');
