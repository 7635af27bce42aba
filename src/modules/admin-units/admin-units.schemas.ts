import { Type } from 'typebox';
import { CODE_PATTERN, ERAS, LEVELS, PARENT_CODE_PATTERN } from './admin-code.ts';

const Era = Type.Enum([...ERAS], {
  description:
    '2025: the two-tier system since 1 July 2025; pre2025: provinces, districts, communes before it',
});
const Level = Type.Enum([...LEVELS]);
/** No control characters (a NUL cannot even be stored in PostgreSQL text). */
const NO_CONTROL = '^[^\\u0000-\\u001f\\u007f]*$';
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const AdminUnitSchema = Type.Object(
  {
    era: Era,
    code: Type.String({ description: 'Official code: 2 digits (province), 3 (district), 5 (commune)' }),
    level: Level,
    type: Type.String({ description: 'tinh, thanh_pho, huyen, quan, thi_xa, xa, phuong, thi_tran, dac_khu' }),
    name: Type.String(),
    fullName: Type.String(),
    nameEn: Nullable(Type.String()),
    fullNameEn: Nullable(Type.String()),
    parentCode: Nullable(Type.String()),
    provinceCode: Type.String(),
  },
  { $id: 'AdminUnit' },
);

const Linked = Type.Intersect([
  Type.Ref('AdminUnit'),
  Type.Object({
    merge: Type.Union([Type.Literal('full'), Type.Literal('partial')]),
    nsoAgrees: Nullable(Type.String()),
  }),
]);

export const ListQuery = Type.Object({
  era: Type.Optional({ ...Era, default: '2025' }),
  level: Type.Optional(Level),
  parent: Type.Optional(
    Type.String({
      pattern: PARENT_CODE_PATTERN,
      description: 'Province code (2 digits) or, before 2025, district code (3 digits)',
    }),
  ),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: NO_CONTROL,
      description: 'Name search ignoring diacritics and case',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const ListResponse = Type.Object({
  items: Type.Array(Type.Ref('AdminUnit')),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  fuzzy: Type.Boolean({
    description: 'True when no unit contains every word and the closest spellings are shown',
  }),
});

export const CodeParams = Type.Object({ code: Type.String({ pattern: CODE_PATTERN }) });
export const EraQuery = Type.Object({ era: Type.Optional({ ...Era, default: '2025' }) });

export const DetailResponse = Type.Intersect([
  Type.Ref('AdminUnit'),
  Type.Object({
    parent: Type.Union([Type.Ref('AdminUnit'), Type.Null()]),
    successors: Type.Optional(Type.Array(Linked)),
    predecessors: Type.Optional(Type.Array(Linked)),
  }),
]);

export const MAX_LOOKUP_CODES = 1000;

export const LookupBody = Type.Object(
  {
    era: Type.Optional({ ...Era, default: '2025' }),
    codes: Type.Array(Type.String({ pattern: CODE_PATTERN }), { minItems: 1, maxItems: MAX_LOOKUP_CODES }),
  },
  { additionalProperties: false },
);

export const LookupResponse = Type.Object({
  items: Type.Array(Type.Object({ code: Type.String(), unit: Type.Union([DetailResponse, Type.Null()]) })),
});
