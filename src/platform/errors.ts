/**
 * Errors the domain throws. A stable `code` (snake_case, also the message key `errors.<code>`)
 * and a `kind` that the HTTP edge maps to a status; no HTTP types here.
 */
export type ErrorKind =
  | 'invalid' // the request is malformed
  | 'not_found'
  | 'conflict' // the state of the data forbids it
  | 'unprocessable' // well-formed but breaks a rule
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited' // params.retryAfter: seconds
  | 'method_not_allowed' // params.allow: the methods the path takes
  | 'unavailable';

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    /** Values for the translated message and machine-readable details in the problem body. */
    readonly params: Record<string, string | number> = {},
    /** For invalid input: the fields at fault. */
    readonly fields: FieldError[] = [],
  ) {
    super(code);
  }
}

export interface FieldError {
  /** Where the field is: body, query, params or headers. */
  in: 'body' | 'query' | 'params' | 'headers';
  /** The field's name; nested fields as a JSON pointer such as /address/communeCode. */
  name: string;
  /** Message key under `validation.` (required, pattern, enum…). */
  rule: string;
  params?: Record<string, string | number>;
}
