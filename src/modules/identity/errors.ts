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
