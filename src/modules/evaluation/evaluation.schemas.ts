import { Type } from 'typebox';

export const VersionParams = Type.Object({
  version: Type.String({
    pattern: '^[a-z0-9][a-z0-9-]{1,40}$',
    description: 'the version slug, e.g. 26-2026',
  }),
});
export const FormParams = Type.Object({
  version: Type.String({
    pattern: '^[a-z0-9][a-z0-9-]{1,40}$',
    description: 'the version slug, e.g. 26-2026',
  }),
  set: Type.String({ pattern: '^[0-9]{2}$', description: 'the product set, 01 to 26' }),
});

const Sheet = Type.Object(
  {
    choices: Type.Record(
      Type.String({ maxLength: 20 }),
      Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }),
      {
        description:
          'leaf criterion code → the chosen option’s 0-based index (0/1 for a criterion without options)',
      },
    ),
    disqualified: Type.Optional(
      Type.Array(Type.String({ maxLength: 40 }), {
        maxItems: 50,
        description: 'ids of raised disqualification flags',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ScoreBody = Type.Object(
  { sheets: Type.Array(Sheet, { description: 'one sheet per council member (1 to 50)' }) },
  { additionalProperties: false },
);

export const ScoreResultSchema = Type.Object(
  {
    version: Type.String(),
    set: Type.Integer(),
    memberTotals: Type.Array(Type.Number()),
    score: Type.Number(),
    band: Type.Integer(),
    stars: Type.Integer(),
    failedGates: Type.Array(
      Type.Object({
        criterion: Type.String(),
        stars: Type.Integer(),
        required: Type.Number(),
        actual: Type.Number(),
      }),
    ),
    spread: Type.Number(),
    spreadLimit: Type.Number(),
    spreadExceeded: Type.Boolean(),
    disqualified: Type.Array(Type.String()),
    partTotals: Type.Record(Type.String(), Type.Number()),
    criterionMeans: Type.Record(Type.String(), Type.Number()),
    flaggedChoices: Type.Array(
      Type.Object({
        criterion: Type.String(),
        option: Type.Integer(),
        sheets: Type.Array(Type.Integer()),
        points: Type.Number(),
        printed: Type.Union([Type.Number(), Type.Null()]),
        sourceIssue: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  },
  { $id: 'ScoreResult' },
);
