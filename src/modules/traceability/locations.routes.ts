/** The API of the locations a producer names in its events. */
import { Type } from 'typebox';
import { auditContextOf } from '../../platform/http/context.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { LocationsService } from './locations.service.ts';

const Location = Type.Object({
  id: Type.String({ format: 'uuid' }),
  identifier: Type.String(),
  name: Type.String(),
  minted: Type.Boolean(),
});
const Params = Type.Object({ producerId: Type.String({ format: 'uuid' }) });
const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef };

export function registerLocationRoutes(app: HttpServer, deps: { locations: LocationsService }) {
  app.get(
    '/api/v1/producers/:producerId/locations',
    {
      schema: {
        tags: ['epcis'],
        summary: 'The locations the producer may name in its EPCIS events (readPoint, bizLocation)',
        params: Params,
        response: { 200: Type.Object({ items: Type.Array(Location) }), ...errors },
      },
    },
    async (request) => ({ items: await deps.locations.list(request.principal, request.params.producerId) }),
  );
  app.post(
    '/api/v1/producers/:producerId/locations',
    {
      schema: {
        tags: ['epcis'],
        summary:
          'Registers a location of the producer: its GLN-based identifier (SGLN URN or GS1 Digital Link /414/ or /417/), or, without one, a platform-minted identifier',
        params: Params,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            identifier: Type.Optional(Type.String({ maxLength: 500 })),
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
          await deps.locations.add(
            auditContextOf(request),
            request.principal,
            request.params.producerId,
            request.body,
          ),
        ),
  );
}
