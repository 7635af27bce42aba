/** Request and response schemas of the certificates API (they also feed OpenAPI). */
import { Type } from 'typebox';
import {
  CERTIFICATE_LEVELS,
  CERTIFICATE_SOURCES,
  CERTIFICATE_STATUSES,
  REVOCATION_GROUNDS,
} from './certificate.model.ts';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateString = Type.String({ format: 'date' });
const Id = Type.String({ format: 'uuid' });

export const CertificateParams = Type.Object({ id: Id });

export const CertificateSchema = Type.Object(
  {
    id: Id,
    number: Type.String(),
    productId: Id,
    producerId: Id,
    productName: Type.String(),
    producerName: Type.String(),
    productSet: Type.Integer(),
    communeCode: Type.String(),
    provinceCode: Type.String(),
    level: literals(CERTIFICATE_LEVELS),
    stars: Type.Integer({ minimum: 3, maximum: 5 }),
    score: Nullable(Type.Number()),
    decision: Type.Object({ number: Type.String(), date: DateString, signer: Type.String() }),
    issuedOn: DateString,
    validUntil: Type.String({ format: 'date', description: 'the last day in force' }),
    validityReason: Nullable(Type.String()),
    source: literals(CERTIFICATE_SOURCES),
    roundId: Nullable(Id),
    dossierId: Nullable(Id),
    supersedesId: Nullable(Id),
    supersededById: Nullable(Id),
    supersededOn: Nullable(DateString),
    revocation: Nullable(
      Type.Object({
        on: DateString,
        ground: literals(REVOCATION_GROUNDS),
        decisionNumber: Type.String(),
        signer: Type.String(),
        reason: Nullable(Type.String()),
      }),
    ),
    reevaluation: Nullable(
      Type.Object({ dossierId: Id, filedOn: DateString, endedOn: Nullable(DateString) }),
    ),
    status: literals(CERTIFICATE_STATUSES),
    statusSince: Nullable(DateString),
    statusUntil: Nullable(DateString),
    window: Type.Object(
      { opens: DateString, closes: DateString },
      { description: 're-evaluation filing window' },
    ),
    isDemo: Type.Boolean(),
    version: Type.Integer(),
  },
  { $id: 'Certificate' },
);

export const CertificateRef = Type.Ref('Certificate');

export const CertificateListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        pattern: `^(${CERTIFICATE_STATUSES.join('|')})(,(${CERTIFICATE_STATUSES.join('|')}))*$`,
        description: `one or more of ${CERTIFICATE_STATUSES.join(', ')}, comma-separated, on today's date`,
      }),
    ),
    stars: Type.Optional(Type.Integer({ minimum: 3, maximum: 5 })),
    provinceCode: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
    communeCode: Type.Optional(Type.String({ pattern: '^[0-9]{5}$' })),
    producerId: Type.Optional(Id),
    productId: Type.Optional(Id),
    expiringWithinDays: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3650, description: 'in force and ending within N days' }),
    ),
    q: Type.Optional(
      Type.String({ maxLength: 200, description: 'number, product or producer (diacritics ignored)' }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 600 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const CertificateBody = Type.Object(
  {
    productId: Id,
    number: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 60 }))),
    level: literals(CERTIFICATE_LEVELS),
    stars: Type.Integer({ minimum: 3, maximum: 5 }),
    score: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100 }))),
    decisionNumber: Type.String({ maxLength: 60 }),
    decisionDate: DateString,
    decisionSigner: Type.String({ maxLength: 200 }),
    issuedOn: Type.Optional(Nullable(DateString)),
    validUntil: Type.Optional(Nullable(DateString)),
    validityReason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    supersedesId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);

export const RevocationBody = Type.Object(
  {
    ground: literals(REVOCATION_GROUNDS),
    decisionNumber: Type.String({ maxLength: 60 }),
    decisionDate: DateString,
    signer: Type.String({ maxLength: 200 }),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
