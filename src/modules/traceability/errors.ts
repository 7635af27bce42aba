/**
 * EPCIS exceptions (EPCIS 2.0 REST bindings): the `type` of the RFC 7807 problem is
 * `epcisException:<Name>`. The /epcis routes answer them as the standard says; the rest of the
 * platform keeps its own problem types.
 */
export type EpcisExceptionName =
  | 'ValidationException'
  | 'CaptureLimitExceededException'
  | 'ImplementationException'
  | 'QueryParameterException'
  | 'QueryTooLargeException'
  | 'NoSuchResourceException'
  | 'ResourceAlreadyExistsException'
  | 'SecurityException'
  | 'UnsupportedMediaTypeException'
  | 'NotAcceptableException'
  | 'SubscriptionControlsException';

export class EpcisError extends Error {
  override name = 'EpcisError';
  constructor(
    readonly exception: EpcisExceptionName,
    readonly status: number,
    readonly detail: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(`${exception}: ${detail}`);
  }
}
