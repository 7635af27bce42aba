import { DomainError, type FieldError } from '../../platform/errors.ts';

/** Wrong e-mail or wrong password: one message for both (no user enumeration). */
export const loginFailed = () => new DomainError('login_failed', 'unauthenticated');
export const signInRequired = () => new DomainError('sign_in_required', 'unauthenticated');
export const forbidden = () => new DomainError('forbidden', 'forbidden');
export const tooManyAttempts = (retryAfter: number) =>
  new DomainError('too_many_attempts', 'rate_limited', { retryAfter });
export const emailTaken = () =>
  new DomainError('email_taken', 'conflict', {}, [{ in: 'body', name: 'email', rule: 'taken' }]);
export const invalidScope = (field: FieldError) =>
  new DomainError('invalid_scope', 'unprocessable', {}, [field]);
export const wrongPassword = () =>
  new DomainError('wrong_password', 'unprocessable', {}, [
    { in: 'body', name: 'currentPassword', rule: 'wrongPassword' },
  ]);
export const weakPassword = (name = 'newPassword') =>
  new DomainError('weak_password', 'unprocessable', {}, [
    { in: 'body', name, rule: 'minLength', params: { limit: 10 } },
  ]);
export const userNotFound = () => new DomainError('user_not_found', 'not_found');
export const csrfInvalid = () => new DomainError('csrf_invalid', 'forbidden');
export const lastAdmin = () => new DomainError('last_admin', 'conflict');
export const tokenNotFound = () => new DomainError('token_not_found', 'not_found');
/** A bearer token that is malformed, unknown or revoked: 401, never silently anonymous. */
export const invalidToken = () => new DomainError('invalid_token', 'unauthenticated');
export const registrationNotFound = () => new DomainError('registration_not_found', 'not_found');
export const registrationDecided = () => new DomainError('registration_decided', 'conflict');
export const resetInvalid = () => new DomainError('reset_invalid', 'unprocessable');
