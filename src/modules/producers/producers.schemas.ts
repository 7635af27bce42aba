import { Type } from 'typebox';
import {
  AREA_CERTIFICATION_KINDS,
  LEGAL_TYPES,
  QUALITY_CERTIFICATE_KINDS,
  SALES_CHANNEL_KINDS,
} from './producer-rules.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const IsoDate = Type.String({ format: 'date' });
const Text = (maxLength: number) => Type.String({ maxLength });
export const COMMUNE_CODE = '^[0-9]{5}$';

const Certification = (kinds: readonly string[]) =>
  Type.Object(
    {
      kind: Type.Enum([...kinds]),
      number: Type.Optional(Nullable(Text(100))),
      issuer: Type.Optional(Nullable(Text(300))),
      validFrom: Type.Optional(Nullable(IsoDate)),
      validUntil: Type.Optional(Nullable(IsoDate)),
    },
    { additionalProperties: false },
  );

const RawMaterialArea = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    communeCode: Type.String({ pattern: COMMUNE_CODE }),
    hectares: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    certifications: Type.Array(Certification(AREA_CERTIFICATION_KINDS), { maxItems: 20 }),
  },
  { additionalProperties: false },
);

const SalesChannel = Type.Object(
  {
    kind: Type.Enum([...SALES_CHANNEL_KINDS]),
    name: Type.Optional(Nullable(Text(200))),
    url: Type.Optional(Nullable(Type.String({ pattern: '^https?://', maxLength: 500 }))),
    since: Type.Optional(Nullable(IsoDate)),
  },
  { additionalProperties: false },
);

const producerFields = {
  legalType: Type.Enum([...LEGAL_TYPES]),
  isSme: Type.Optional(Type.Boolean()),
  legalName: Type.String({ minLength: 1, maxLength: 300 }),
  registrationNumber: Type.Optional(Nullable(Text(30))),
  taxCode: Type.Optional(Nullable(Text(20))),
  foundedOn: Type.Optional(Nullable(IsoDate)),
  address: Type.Optional(Nullable(Text(500))),
  communeCode: Type.String({ pattern: COMMUNE_CODE }),
  oldCommuneCode: Type.Optional(Nullable(Type.String({ pattern: COMMUNE_CODE }))),
  representativeName: Type.Optional(Nullable(Text(200))),
  representativeTitle: Type.Optional(Nullable(Text(200))),
  phone: Type.Optional(Nullable(Type.String({ pattern: '^\\+?[0-9]{8,15}$' }))),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  website: Type.Optional(Nullable(Type.String({ pattern: '^https?://', maxLength: 500 }))),
  workerCount: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  trainedWorkerCount: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  circularEconomy: Type.Optional(Type.Boolean()),
  circularEconomyDescription: Type.Optional(Nullable(Text(4000))),
  rawMaterialAreas: Type.Optional(Type.Array(RawMaterialArea, { maxItems: 100 })),
  qualityCertificates: Type.Optional(Type.Array(Certification(QUALITY_CERTIFICATE_KINDS), { maxItems: 50 })),
  salesChannels: Type.Optional(Type.Array(SalesChannel, { maxItems: 50 })),
};

export const ProducerBody = Type.Object(producerFields, { additionalProperties: false });
/** A full replacement; `version` (from the last read) refuses to overwrite someone else's change. */
export const ProducerUpdateBody = Type.Object(
  { ...producerFields, version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

export const ProducerSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    ...producerFields,
    registrationNumber: Nullable(Type.String()),
    taxCode: Nullable(Type.String()),
    foundedOn: Nullable(Type.String()),
    address: Nullable(Type.String()),
    oldCommuneCode: Nullable(Type.String()),
    provinceCode: Type.String(),
    representativeName: Nullable(Type.String()),
    representativeTitle: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    email: Nullable(Type.String()),
    website: Nullable(Type.String()),
    workerCount: Nullable(Type.Integer()),
    trainedWorkerCount: Nullable(Type.Integer()),
    isSme: Type.Boolean(),
    circularEconomy: Type.Boolean(),
    circularEconomyDescription: Nullable(Type.String()),
    rawMaterialAreas: Type.Array(RawMaterialArea),
    qualityCertificates: Type.Array(Certification(QUALITY_CERTIFICATE_KINDS)),
    salesChannels: Type.Array(SalesChannel),
    isDemo: Type.Boolean(),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Producer' },
);

export const ListQueryBase = {
  q: Type.Optional(Type.String({ maxLength: 200 })),
  provinceCode: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
  communeCode: Type.Optional(Type.String({ pattern: COMMUNE_CODE })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
};

export const ProducerListQuery = Type.Object(
  { ...ListQueryBase, legalType: Type.Optional(Type.Enum([...LEGAL_TYPES])) },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
