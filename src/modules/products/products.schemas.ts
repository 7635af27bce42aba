import { Type } from 'typebox';
import { COMMUNE_CODE, IdParams } from '../producers/index.ts';
import { COMMUNE_ITEMS, DOCUMENT_KINDS, DOSSIER_KINDS } from './dossier-checklist.ts';
import { DOSSIER_ACTIONS, DOSSIER_STATUSES } from './dossier-states.ts';
import { PRODUCT_STATUSES } from './products.service.ts';

export { IdParams };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Text = (maxLength: number) => Type.String({ maxLength });
const Money = Type.Integer({ minimum: 0, maximum: 10_000_000_000 });

const productFields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  productSet: Type.Integer({ minimum: 1, maximum: 26 }),
  description: Type.Optional(Nullable(Text(10_000))),
  story: Type.Optional(Nullable(Text(20_000))),
  packaging: Type.Optional(Nullable(Text(1000))),
  netContent: Type.Optional(Nullable(Text(200))),
  shelfLifeDays: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 36_500 }))),
  gtins: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 50 })),
  priceMin: Type.Optional(Nullable(Money)),
  priceMax: Type.Optional(Nullable(Money)),
  status: Type.Optional(Type.Enum([...PRODUCT_STATUSES])),
};

export const ProductBody = Type.Object(
  { producerId: Type.String({ format: 'uuid' }), ...productFields },
  { additionalProperties: false },
);
export const ProductChangesBody = Type.Partial(
  Type.Object({ ...productFields, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
);

export const ProductSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    producerId: Type.String({ format: 'uuid' }),
    producerName: Type.String(),
    name: Type.String(),
    productSet: Type.Integer(),
    sector: Type.String(),
    group: Type.String(),
    description: Nullable(Type.String()),
    story: Nullable(Type.String()),
    packaging: Nullable(Type.String()),
    netContent: Nullable(Type.String()),
    shelfLifeDays: Nullable(Type.Integer()),
    gtins: Type.Array(Type.String()),
    priceMin: Nullable(Type.Integer()),
    priceMax: Nullable(Type.Integer()),
    status: Type.Enum([...PRODUCT_STATUSES]),
    stars: Nullable(Type.Integer()),
    productCode: Nullable(Type.String()),
    communeCode: Type.String(),
    provinceCode: Type.String(),
    isDemo: Type.Boolean(),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Product' },
);

export const ProductListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    provinceCode: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
    communeCode: Type.Optional(Type.String({ pattern: COMMUNE_CODE })),
    producerId: Type.Optional(Type.String({ format: 'uuid' })),
    productSet: Type.Optional(Type.Integer({ minimum: 1, maximum: 26 })),
    stars: Type.Optional(Type.Integer({ minimum: 0, maximum: 5, description: '0: not recognised' })),
    status: Type.Optional(Type.Enum([...PRODUCT_STATUSES])),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

const RegistrationForm = Type.Object(
  {
    representativeName: Type.Optional(Text(200)),
    representativeTitle: Type.Optional(Text(200)),
    phone: Type.Optional(Text(20)),
    productionAddress: Type.Optional(Text(500)),
    sampleCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    commitment: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const SelfAssessment = Type.Object(
  {
    generalInfo: Type.Optional(Text(20_000)),
    businessResults: Type.Optional(Text(20_000)),
    businessPlan: Type.Optional(Text(20_000)),
  },
  { additionalProperties: false },
);
/** As stored and shown: with part III, which only the self-assessment page writes. */
const SelfAssessmentOut = Type.Object({
  generalInfo: Type.Optional(Type.String()),
  businessResults: Type.Optional(Type.String()),
  businessPlan: Type.Optional(Type.String()),
  scoring: Type.Optional(
    Type.Object({
      version: Type.String(),
      set: Type.Integer(),
      choices: Type.Record(Type.String(), Type.Integer()),
      score: Type.Number(),
      stars: Type.Integer(),
      savedAt: Type.String({ format: 'date-time' }),
    }),
  ),
});
const CommuneItem = Type.Object(
  { met: Type.Boolean(), comment: Type.Optional(Text(4000)) },
  { additionalProperties: false },
);
export const CommuneReport = Type.Object(
  Object.fromEntries(COMMUNE_ITEMS.map((item) => [item, Type.Optional(CommuneItem)])),
  { additionalProperties: false },
);

const ChecklistItem = Type.Object({
  key: Type.String(),
  type: Type.Enum(['form', 'samples', 'document']),
  required: Type.Boolean(),
  satisfied: Type.Boolean(),
});

const dossierFields = {
  id: Type.String({ format: 'uuid' }),
  productId: Type.String({ format: 'uuid' }),
  producerId: Type.String({ format: 'uuid' }),
  kind: Type.Enum([...DOSSIER_KINDS]),
  status: Type.Enum([...DOSSIER_STATUSES]),
  registration: RegistrationForm,
  selfAssessment: SelfAssessmentOut,
  communeReport: Nullable(CommuneReport),
  communeCode: Type.String(),
  provinceCode: Type.String(),
  submittedAt: Nullable(Type.String({ format: 'date-time' })),
  dueOn: Nullable(Type.String({ format: 'date' })),
  workingDaysLeft: Nullable(Type.Integer()),
  overdue: Type.Boolean(),
  returnComment: Nullable(Type.String()),
  forwardedAt: Nullable(Type.String({ format: 'date-time' })),
  isDemo: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const DossierSchema = Type.Object(dossierFields, { $id: 'Dossier' });
export const DossierDetailSchema = Type.Object(
  {
    ...dossierFields,
    productName: Type.String(),
    productSet: Type.Integer(),
    productCode: Nullable(Type.String()),
    producerName: Type.String(),
    checklist: Type.Array(ChecklistItem),
    complete: Type.Boolean(),
    actions: Type.Array(Type.Enum([...DOSSIER_ACTIONS])),
    editable: Type.Boolean(),
    events: Type.Array(
      Type.Object({
        action: Type.String(),
        fromStatus: Nullable(Type.String()),
        toStatus: Type.String(),
        comment: Nullable(Type.String()),
        actorName: Nullable(Type.String()),
        occurredAt: Type.String({ format: 'date-time' }),
      }),
    ),
  },
  { $id: 'DossierDetail' },
);

export const NewDossierBody = Type.Object(
  { productId: Type.String({ format: 'uuid' }), kind: Type.Enum([...DOSSIER_KINDS]) },
  { additionalProperties: false },
);
export const DossierChangesBody = Type.Object(
  {
    registration: Type.Optional(RegistrationForm),
    selfAssessment: Type.Optional(SelfAssessment),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export const DossierActionBody = Type.Object(
  {
    comment: Type.Optional(Nullable(Text(4000))),
    communeReport: Type.Optional(CommuneReport),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export const DossierActionParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  action: Type.Enum([...DOSSIER_ACTIONS]),
});
export const DossierListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum([...DOSSIER_STATUSES])),
    kind: Type.Optional(Type.Enum([...DOSSIER_KINDS])),
    communeCode: Type.Optional(Type.String({ pattern: COMMUNE_CODE })),
    provinceCode: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
    productId: Type.Optional(Type.String({ format: 'uuid' })),
    overdue: Type.Optional(Type.Boolean()),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export const DocumentSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    productId: Type.String({ format: 'uuid' }),
    dossierId: Nullable(Type.String({ format: 'uuid' })),
    kind: Type.String(),
    fileName: Type.String(),
    mediaType: Type.String(),
    size: Type.Integer(),
    sha256: Type.String(),
    hasThumbnail: Type.Boolean(),
    uploadedAt: Type.String({ format: 'date-time' }),
    replacesId: Nullable(Type.String({ format: 'uuid' })),
    supersededAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'Document' },
);

export const DOCUMENT_KIND_VALUES = DOCUMENT_KINDS;
