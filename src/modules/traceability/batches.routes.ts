/**
 * The JSON API of batches and their journey (`/api/v1/batches`), a producer's places and partners
 * (`/api/v1/producers/:producerId/locations|partners`), and the national traceability portal's
 * consumer record of a lot (JSON or CSV).
 */
import { Type } from 'typebox';
import { auditContextOf } from '../../platform/http/context.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { BatchesService } from './batches.service.ts';
import type { LocationsService } from './locations.service.ts';
import { exportAdapter, type NationalPortalRecord } from './national-portal.ts';
import { JOURNEY_STEPS, LOCATION_KINDS, PARTNER_KINDS } from './trace.model.ts';

const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef };
const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) =>
  Type.Optional(Type.Union([t, Type.Null()]));
const NullableNumber = Type.Optional(Type.Union([Type.Number(), Type.Null()]));
const Coordinates = { latitude: NullableNumber, longitude: NullableNumber };

const Location = Type.Object({
  id: Uuid,
  identifier: Type.String(),
  name: Type.String(),
  minted: Type.Boolean(),
  kind: Type.String({ enum: [...LOCATION_KINDS] }),
  communeCode: Type.Union([Type.String(), Type.Null()]),
  latitude: Type.Union([Type.Number(), Type.Null()]),
  longitude: Type.Union([Type.Number(), Type.Null()]),
  certifications: Type.Union([Type.String(), Type.Null()]),
});
const Partner = Type.Object({
  id: Uuid,
  identifier: Type.String(),
  name: Type.String(),
  minted: Type.Boolean(),
  kind: Type.String({ enum: [...PARTNER_KINDS] }),
  communeCode: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  latitude: Type.Union([Type.Number(), Type.Null()]),
  longitude: Type.Union([Type.Number(), Type.Null()]),
});
const Batch = Type.Object(
  {
    id: Uuid,
    producerId: Uuid,
    productId: Uuid,
    gtin: Type.String(),
    lot: Type.String(),
    productionDate: Type.String({ format: 'date' }),
    packingDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    expiryDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    quantity: Type.Union([Type.Number(), Type.Null()]),
    unit: Type.Union([Type.String(), Type.Null()]),
    rawMaterialLocationId: Type.Union([Uuid, Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]),
    recall: Type.Union([Type.Object({ at: Type.String(), reason: Type.String() }), Type.Null()]),
    isDemo: Type.Boolean(),
    createdAt: Type.String(),
  },
  { additionalProperties: true },
);
const ProducerParams = Type.Object({ producerId: Uuid });
const BatchParams = Type.Object({ id: Uuid });

export function registerBatchRoutes(
  app: HttpServer,
  deps: {
    batches: BatchesService;
    locations: LocationsService;
    /** The consumer record of a lot for the national portal (null: no such lot for the caller). */
    portalRecord: (batchId: string) => Promise<NationalPortalRecord>;
    serialLimit: number;
  },
) {
  const { batches, locations } = deps;

  app.get(
    '/api/v1/producers/:producerId/locations',
    {
      schema: {
        tags: ['traceability'],
        summary:
          'The producer’s places (farm, pond or raw-material area, facility, warehouse, shop): what its events may name',
        params: ProducerParams,
        response: { 200: Type.Object({ items: Type.Array(Location) }), ...errors },
      },
    },
    async (request) => ({ items: await locations.list(request.principal, request.params.producerId) }),
  );
  app.post(
    '/api/v1/producers/:producerId/locations',
    {
      schema: {
        tags: ['traceability'],
        summary:
          'Registers a place of the producer: its GLN-based identifier (SGLN URN or GS1 Digital Link /414/ or /417/), or, without one, a platform-minted identifier; kind, commune, coordinates, certifications',
        params: ProducerParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            identifier: Nullable(Type.String({ maxLength: 500 })),
            kind: Type.Optional(Type.String({ enum: [...LOCATION_KINDS] })),
            communeCode: Nullable(Type.String({ pattern: '^[0-9]{5}$' })),
            certifications: Nullable(Type.String({ maxLength: 500 })),
            ...Coordinates,
          },
          { additionalProperties: false },
        ),
        response: { 201: Location, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await locations.add(
            auditContextOf(request),
            request.principal,
            request.params.producerId,
            request.body,
          ),
        ),
  );
  app.get(
    '/api/v1/producers/:producerId/partners',
    {
      schema: {
        tags: ['traceability'],
        summary: 'The producer’s partners (distributors, retailers, OCOP points of sale)',
        params: ProducerParams,
        response: { 200: Type.Object({ items: Type.Array(Partner) }), ...errors },
      },
    },
    async (request) => ({ items: await locations.partners(request.principal, request.params.producerId) }),
  );
  app.post(
    '/api/v1/producers/:producerId/partners',
    {
      schema: {
        tags: ['traceability'],
        summary: 'Registers a partner of the producer, with its GLN or a platform-minted identifier',
        params: ProducerParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            kind: Type.String({ enum: [...PARTNER_KINDS] }),
            identifier: Nullable(Type.String({ maxLength: 500 })),
            communeCode: Nullable(Type.String({ pattern: '^[0-9]{5}$' })),
            address: Nullable(Type.String({ maxLength: 300 })),
            ...Coordinates,
          },
          { additionalProperties: false },
        ),
        response: { 201: Partner, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await locations.addPartner(
            auditContextOf(request),
            request.principal,
            request.params.producerId,
            request.body,
          ),
        ),
  );

  app.get(
    '/api/v1/batches',
    {
      schema: {
        tags: ['traceability'],
        summary: 'The batches (lots) the caller may see, newest first',
        response: { 200: Type.Object({ items: Type.Array(Batch) }), ...errors },
      },
    },
    async (request) => ({ items: await batches.list(request.principal) }),
  );
  app.post(
    '/api/v1/batches',
    {
      schema: {
        tags: ['traceability'],
        summary:
          'Creates a lot of one of the producer’s products: GTIN, lot number (GS1 AI 10), production, packing and expiry dates, quantity, raw-material area, ingredient lots',
        body: Type.Object(
          {
            productId: Uuid,
            gtin: Nullable(Type.String({ pattern: '^[0-9]{14}$' })),
            lot: Type.String({ minLength: 1, maxLength: 20 }),
            productionDate: Type.String({ format: 'date' }),
            packingDate: Nullable(Type.String({ format: 'date' })),
            expiryDate: Nullable(Type.String({ format: 'date' })),
            quantity: NullableNumber,
            unit: Nullable(Type.String({ maxLength: 20 })),
            rawMaterialLocationId: Nullable(Uuid),
            inputBatchIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
            note: Nullable(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Batch, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await batches.create(auditContextOf(request), request.principal, request.body)),
  );
  app.get(
    '/api/v1/batches/:id',
    {
      schema: {
        tags: ['traceability'],
        summary: 'One batch with its ingredient lots, test reports and serial ranges',
        params: BatchParams,
        response: { 200: Batch, ...errors },
      },
    },
    async (request) => batches.get(request.principal, request.params.id),
  );
  app.post(
    '/api/v1/batches/:id/steps',
    {
      schema: {
        tags: ['traceability'],
        summary:
          'Records a step of the batch’s journey (harvest, processing, packing, shipping, receiving, inspection, sale) as its EPCIS 2.0 event',
        params: BatchParams,
        body: Type.Object(
          {
            step: Type.String({ enum: JOURNEY_STEPS.filter((s) => s !== 'recall') }),
            eventTime: Type.String({ maxLength: 40 }),
            placeId: Uuid,
            partnerId: Nullable(Uuid),
            quantity: NullableNumber,
            unit: Nullable(Type.String({ maxLength: 20 })),
            inputBatchIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
            sscc: Nullable(Type.String({ maxLength: 30 })),
            conformant: Type.Optional(Type.Boolean()),
            reportId: Nullable(Uuid),
            document: Nullable(Type.String({ maxLength: 100 })),
            note: Nullable(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ eventId: Type.String(), step: Type.String() }), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await batches.recordStep(
            auditContextOf(request),
            request.principal,
            request.params.id,
            request.body,
          ),
        ),
  );
  app.post(
    '/api/v1/batches/:id/recall',
    {
      schema: {
        tags: ['traceability'],
        summary:
          'Recalls the batch: marks it with the reason and records the recall event (disposition recalled)',
        params: BatchParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 1000 }), placeId: Nullable(Uuid) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ batch: Batch, eventId: Type.String() }), ...errors },
      },
    },
    async (request) =>
      batches.recall(auditContextOf(request), request.principal, request.params.id, request.body),
  );
  app.post(
    '/api/v1/batches/:id/serials',
    {
      schema: {
        tags: ['traceability'],
        summary: `Issues serials (GS1 AI 21) for the batch’s item labels: prefix + numbers after the last issued; at most ${deps.serialLimit} at a time`,
        params: BatchParams,
        body: Type.Object(
          { prefix: Nullable(Type.String({ maxLength: 12 })), count: Type.Integer() },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Uuid,
            prefix: Type.String(),
            first: Type.Integer(),
            last: Type.Integer(),
            width: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await batches.issueSerials(
            auditContextOf(request),
            request.principal,
            request.params.id,
            request.body,
            deps.serialLimit,
          ),
        ),
  );
  for (const format of ['json', 'csv'] as const) {
    app.get(
      `/api/v1/batches/:id/national-portal.${format}`,
      {
        schema: {
          tags: ['traceability'],
          summary: `The lot’s consumer information for the national traceability portal (Thông tư 02/2024/TT-BKHCN), as ${format.toUpperCase()}`,
          params: BatchParams,
          response: { 200: Type.Unknown(), ...errors },
        },
      },
      async (request, reply) => {
        const record = await deps.portalRecord((await batches.get(request.principal, request.params.id)).id);
        const out = await exportAdapter(format).push([record]);
        return reply
          .type(out.mediaType)
          .header(
            'content-disposition',
            `attachment; filename="lot-${record.gtin}-${encodeURIComponent(record.lot)}.${format}"`,
          )
          .send(out.body);
      },
    );
  }
}
