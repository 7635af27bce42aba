import { Type } from 'typebox';

/** The RFC 9457 body every error response carries, as a shared schema for OpenAPI. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'urn:ocop:problem:<code>' }),
    title: Type.String({ description: 'Human-readable summary in the request language' }),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          in: Type.String({ description: 'body, query, params or headers' }),
          name: Type.String(),
          rule: Type.String(),
          detail: Type.String(),
        }),
      ),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' },
);

export const ProblemRef = Type.Ref('Problem');
