/**
 * The EPCIS 2.0 REST bindings under /epcis: capture (documents as jobs, single events), queries
 * (events with the standard parameters, by eventID, by EPC; event types), and the integrity check
 * of the hash chains. Everything here answers as the bindings say: JSON-LD documents, the GS1
 * headers, and RFC 7807 problems whose type is an EPCIS exception. Capture and query need a token.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/errors.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import {
  CAPTURE_FILE_SIZE_LIMIT,
  CAPTURE_LIMIT,
  type CaptureService,
  type ErrorBehaviour,
  type JobError,
  presentJob,
} from './capture.service.ts';
import { type CaptureRead, EPCIS_EXCEPTIONS, readCaptureDocument, readSingleEvent } from './epcis/index.ts';
import { EpcisError, type EpcisExceptionName } from './errors.ts';
import { EPC_FORMATS, type EpcFormat, EVENT_TYPES, type QueryService } from './query.service.ts';
import { EPCIS_CONTEXT, queryDocumentOf as queryDocument } from './query-document.ts';
import type { SubscriptionsService } from './subscriptions.service.ts';

const TAGS = ['epcis'];

const STANDARD_HEADERS = {
  'gs1-epcis-version': '2.0.0',
  'gs1-cbv-version': '2.0.0',
  'gs1-epcis-min': '2.0.0',
  'gs1-epcis-max': '2.0.0',
  'gs1-cbv-min': '2.0.0',
  'gs1-cbv-max': '2.0.0',
};

function sendException(
  reply: FastifyReply,
  request: FastifyRequest,
  name: EpcisExceptionName,
  status: number,
  detail: string,
  errors: { path: string; message: string }[] = [],
) {
  return reply
    .code(status)
    .headers(STANDARD_HEADERS)
    .type('application/problem+json')
    .send({
      type: `epcisException:${name}`,
      title: name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
      status,
      detail,
      instance: request.url,
      ...(errors.length > 0 ? { errors } : {}),
    });
}

/** The format the client asks identifiers in (default: GS1 Digital Link, as the bindings say). */
function epcFormatOf(request: FastifyRequest): EpcFormat {
  const asked = request.headers['gs1-epc-format'];
  if (asked === undefined) return 'Always_GS1_Digital_Link';
  const value = String(asked);
  if (!(EPC_FORMATS as readonly string[]).includes(value))
    throw new EpcisError('QueryParameterException', 400, `GS1-EPC-Format: one of ${EPC_FORMATS.join(', ')}`);
  return value as EpcFormat;
}

function behaviourOf(request: FastifyRequest): ErrorBehaviour {
  const asked = request.headers['gs1-capture-error-behaviour'];
  if (asked === undefined) return 'rollback';
  if (asked === 'rollback' || asked === 'proceed') return asked;
  throw new EpcisError('ValidationException', 400, 'GS1-Capture-Error-Behaviour: rollback or proceed');
}

/** Only JSON (JSON-LD) is captured: anything else is refused before its body is read. */
const JSON_MEDIA = /^application\/(ld\+)?json\s*(;|$)/i;
async function jsonOnly(request: FastifyRequest) {
  const type = request.headers['content-type'];
  if (type !== undefined && !JSON_MEDIA.test(type))
    throw new EpcisError(
      'UnsupportedMediaTypeException',
      415,
      'Send application/ld+json or application/json',
    );
}

/**
 * Under `proceed`: the document with only the events that pass on their own, and a job error for
 * each of the others; null when none passes (the document itself is at fault) or all do.
 */
function validEventsOf(body: unknown): { read: CaptureRead; refused: JobError[] } | null {
  if (typeof body !== 'object' || body === null) return null;
  const document = body as { epcisBody?: { eventList?: unknown } };
  const list = document.epcisBody?.eventList;
  if (!Array.isArray(list)) return null;
  const withEvents = (eventList: unknown[]) => ({
    ...document,
    epcisBody: { ...document.epcisBody, eventList },
  });
  const keep: unknown[] = [];
  const refused: JobError[] = [];
  list.forEach((event, index) => {
    const one = readCaptureDocument(withEvents([event]));
    if (one.ok) keep.push(event);
    else
      refused.push({
        type: `epcisException:${one.exception}`,
        title: 'This event was not captured',
        status: EPCIS_EXCEPTIONS[one.exception].status,
        detail: `/epcisBody/eventList/${index}: ${one.problems.map((p) => p.message).join('; ')}`,
      });
  });
  if (keep.length === 0 || refused.length === 0) return null;
  const read = readCaptureDocument(withEvents(keep), { maxEvents: CAPTURE_LIMIT });
  return read.ok ? { read, refused } : null;
}

export function registerEpcisRoutes(
  app: HttpServer,
  deps: { capture: CaptureService; query: QueryService; subscriptions: SubscriptionsService },
) {
  const { capture, query, subscriptions } = deps;

  void app.register(async (scope) => {
    // EPCIS documents are JSON-LD
    scope.addContentTypeParser('application/ld+json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch (error) {
        (error as FastifyError).statusCode = 400;
        done(error as Error, undefined);
      }
    });

    scope.setErrorHandler((error: FastifyError & Record<string, unknown>, request, reply) => {
      if (error instanceof EpcisError)
        return sendException(reply, request, error.exception, error.status, error.detail, error.errors);
      if (error instanceof DomainError) {
        const status =
          error.kind === 'unauthenticated'
            ? 401
            : error.kind === 'forbidden'
              ? 403
              : error.kind === 'rate_limited'
                ? 429
                : 400;
        const name: EpcisExceptionName =
          status === 401 || status === 403 ? 'SecurityException' : 'ValidationException';
        return sendException(reply, request, name, status, error.code);
      }
      const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
      if (status === 413)
        return sendException(
          reply,
          request,
          'CaptureLimitExceededException',
          413,
          `At most ${CAPTURE_FILE_SIZE_LIMIT} bytes per capture`,
        );
      if (status === 415)
        return sendException(
          reply,
          request,
          'UnsupportedMediaTypeException',
          415,
          'Send application/ld+json or application/json',
        );
      if (Array.isArray(error.validation))
        return sendException(
          reply,
          request,
          request.method === 'GET' ? 'QueryParameterException' : 'ValidationException',
          400,
          error.message,
        );
      if (status >= 400 && status < 500)
        return sendException(
          reply,
          request,
          'ValidationException',
          status,
          error instanceof SyntaxError ? 'Malformed JSON' : error.message,
        );
      request.log.error({ err: error }, 'epcis request failed');
      return sendException(
        reply,
        request,
        'ImplementationException',
        500,
        'The server could not complete the request',
      );
    });

    scope.addHook('onSend', async (_request, reply) => {
      reply.headers(STANDARD_HEADERS);
    });

    const captureHeaders = {
      'gs1-epcis-capture-limit': String(CAPTURE_LIMIT),
      'gs1-epcis-capture-file-size-limit': String(CAPTURE_FILE_SIZE_LIMIT),
      'gs1-capture-error-behaviour': 'rollback, proceed',
      'gs1-epc-format': EPC_FORMATS.join(', '),
    };

    scope.options(
      '/epcis/capture',
      { schema: { tags: TAGS, summary: 'What the capture interface accepts (limits, error behaviours)' } },
      async (_request, reply) =>
        reply
          .code(204)
          .headers({ ...captureHeaders, allow: 'OPTIONS, GET, POST' })
          .send(),
    );

    scope.post(
      '/epcis/capture',
      {
        bodyLimit: CAPTURE_FILE_SIZE_LIMIT,
        onRequest: jsonOnly,
        schema: {
          tags: TAGS,
          summary:
            'Captures an EPCISDocument (JSON-LD): 202 with the capture job at Location. GS1-Capture-Error-Behaviour: rollback (default: every event or none) or proceed',
        },
      },
      async (request, reply) => {
        capture.mayCapture(request.principal);
        const behaviour = behaviourOf(request);
        let read = readCaptureDocument(request.body, { maxEvents: CAPTURE_LIMIT });
        let refused: JobError[] = [];
        if (!read.ok && behaviour === 'proceed' && read.exception === 'ValidationException') {
          const partial = validEventsOf(request.body);
          if (partial) ({ read, refused } = partial);
        }
        if (!read.ok)
          throw new EpcisError(
            read.exception,
            EPCIS_EXCEPTIONS[read.exception].status,
            read.problems[0]?.message ?? 'Invalid EPCIS document',
            read.problems,
          );
        const result = await capture.capture(request.principal, read.events, behaviour, refused);
        return reply
          .code(202)
          .header('location', `/epcis/capture/${result.job.id}`)
          .headers(captureHeaders)
          .send();
      },
    );

    scope.get(
      '/epcis/capture',
      { schema: { tags: TAGS, summary: 'The caller’s capture jobs, latest first' } },
      async (request) => ({
        captureJobs: (await capture.jobs(request.principal)).map(presentJob),
      }),
    );

    scope.get<{ Params: { captureID: string } }>(
      '/epcis/capture/:captureID',
      { schema: { tags: TAGS, summary: 'A capture job: running, success, errors' } },
      async (request) => presentJob(await capture.job(request.principal, request.params.captureID)),
    );

    scope.post(
      '/epcis/events',
      {
        onRequest: jsonOnly,
        schema: {
          tags: TAGS,
          summary: 'Captures one event: 201 with its Location; 409 if the eventID is stored',
        },
      },
      async (request, reply) => {
        capture.mayCapture(request.principal);
        const read = readSingleEvent(request.body);
        if (!read.ok)
          throw new EpcisError(
            read.exception,
            EPCIS_EXCEPTIONS[read.exception].status,
            read.problems[0]?.message ?? 'Invalid EPCIS event',
            read.problems,
          );
        const result = await capture.capture(request.principal, read.events, 'rollback');
        if (!result.job.success) {
          const first = (result.job.errors as { type?: string; detail?: string }[])[0];
          if (first?.type === 'epcisException:ResourceAlreadyExistsException')
            throw new EpcisError(
              'ResourceAlreadyExistsException',
              409,
              `Event ${read.events[0]!.eventID} is already stored`,
            );
          throw new EpcisError('ImplementationException', 500, 'The event could not be stored');
        }
        return reply
          .code(201)
          .header('location', `/epcis/events/${encodeURIComponent(result.stored[0]!)}`)
          .send();
      },
    );

    const eventsPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      params: Record<string, unknown>,
      path: string,
      queryName = 'SimpleEventQuery',
    ) => {
      const page = await query.events(request.principal, params, epcFormatOf(request));
      if (page.next) {
        const nextParams = new URLSearchParams();
        for (const [k, v] of Object.entries(request.query as Record<string, unknown>))
          if (k !== 'nextPageToken')
            for (const one of Array.isArray(v) ? v : [v]) nextParams.append(k, String(one));
        nextParams.set('nextPageToken', page.next);
        reply.header('link', `<${path}?${nextParams.toString()}>; rel="next"`);
      }
      return reply.type('application/ld+json').send(queryDocument(page.events, queryName));
    };

    // named queries
    scope.get(
      '/epcis/queries',
      { schema: { tags: TAGS, summary: 'The named queries of the caller (all, for administrators)' } },
      async (request) => query.namedList(request.principal),
    );
    scope.post(
      '/epcis/queries',
      {
        onRequest: jsonOnly,
        schema: {
          tags: TAGS,
          summary:
            'Saves a named query: { "name": "…", "query": { SimpleEventQuery parameters } } → 201 with its Location; 409 if the name exists',
        },
      },
      async (request, reply) => {
        const body = (request.body ?? {}) as { name?: unknown; query?: unknown };
        const saved = await query.saveNamed(request.principal, body.name, body.query);
        return reply
          .code(201)
          .header('location', `/epcis/queries/${encodeURIComponent(saved.name)}`)
          .send();
      },
    );
    scope.get<{ Params: { queryName: string } }>(
      '/epcis/queries/:queryName',
      { schema: { tags: TAGS, summary: 'A named query’s definition' } },
      async (request) => query.named(request.principal, request.params.queryName),
    );
    scope.delete<{ Params: { queryName: string } }>(
      '/epcis/queries/:queryName',
      { schema: { tags: TAGS, summary: 'Deletes a named query' } },
      async (request, reply) => {
        await query.deleteNamed(request.principal, request.params.queryName);
        return reply.code(204).send();
      },
    );
    scope.get<{ Params: { queryName: string }; Querystring: Record<string, string> }>(
      '/epcis/queries/:queryName/events',
      {
        schema: { tags: TAGS, summary: 'Runs a named query: its events, paged by perPage and nextPageToken' },
      },
      async (request, reply) => {
        const saved = await query.named(request.principal, request.params.queryName);
        const paging = Object.fromEntries(
          Object.entries(request.query).filter(([k]) => k === 'perPage' || k === 'nextPageToken'),
        );
        const unknown = Object.keys(request.query).filter((k) => k !== 'perPage' && k !== 'nextPageToken');
        if (unknown.length > 0)
          throw new EpcisError(
            'QueryParameterException',
            400,
            `A named query takes only perPage and nextPageToken (${unknown.join(', ')})`,
          );
        return eventsPage(
          request,
          reply,
          { ...saved.query, ...paging },
          `/epcis/queries/${encodeURIComponent(saved.name)}/events`,
          saved.name,
        );
      },
    );

    // subscriptions of a named query (webhooks)
    scope.get<{ Params: { queryName: string } }>(
      '/epcis/queries/:queryName/subscriptions',
      { schema: { tags: TAGS, summary: 'The subscriptions of a named query' } },
      async (request) => subscriptions.list(request.principal, request.params.queryName),
    );
    scope.post<{ Params: { queryName: string } }>(
      '/epcis/queries/:queryName/subscriptions',
      {
        onRequest: jsonOnly,
        schema: {
          tags: TAGS,
          summary:
            'Subscribes a webhook to a named query: { dest, signatureToken?, stream: true | schedule: {second?, minute?, hour?, dayOfMonth?, month?, dayOfWeek?}, reportIfEmpty?, initialRecordTime? }. Deliveries are EPCISQueryDocuments POSTed to dest with GS1-Signature: sha256=<hex HMAC-SHA256 of the body with signatureToken>',
        },
      },
      async (request, reply) => {
        const created = await subscriptions.subscribe(
          request.principal,
          request.params.queryName,
          request.body,
        );
        return reply
          .code(201)
          .header(
            'location',
            `/epcis/queries/${encodeURIComponent(request.params.queryName)}/subscriptions/${created.subscriptionID}`,
          )
          .send(created);
      },
    );
    scope.get<{ Params: { queryName: string; subscriptionID: string } }>(
      '/epcis/queries/:queryName/subscriptions/:subscriptionID',
      { schema: { tags: TAGS, summary: 'One subscription' } },
      async (request) =>
        subscriptions.present(
          await subscriptions.get(request.principal, request.params.queryName, request.params.subscriptionID),
        ),
    );
    scope.delete<{ Params: { queryName: string; subscriptionID: string } }>(
      '/epcis/queries/:queryName/subscriptions/:subscriptionID',
      { schema: { tags: TAGS, summary: 'Ends a subscription' } },
      async (request, reply) => {
        await subscriptions.unsubscribe(
          request.principal,
          request.params.queryName,
          request.params.subscriptionID,
        );
        return reply.code(204).send();
      },
    );

    scope.get(
      '/epcis/events',
      {
        schema: {
          tags: TAGS,
          summary:
            'Events matching the SimpleEventQuery parameters (eventType, GE_/LT_eventTime, GE_/LT_recordTime, EQ_action, EQ_bizStep, EQ_disposition, EQ_readPoint, EQ_bizLocation, MATCH_epc, MATCH_anyEPC, MATCH_parentID, MATCH_inputEPC, MATCH_outputEPC, MATCH_epcClass, MATCH_anyEPCClass, EQ_eventID, orderBy, orderDirection, eventCountLimit), paged by perPage and nextPageToken (Link rel="next")',
        },
      },
      async (request, reply) =>
        eventsPage(request, reply, request.query as Record<string, unknown>, '/epcis/events'),
    );

    scope.get<{ Params: { eventID: string } }>(
      '/epcis/events/:eventID',
      { schema: { tags: TAGS, summary: 'One event by its eventID (URL-encoded)' } },
      async (request, reply) =>
        reply.type('application/ld+json').send({
          '@context': [EPCIS_CONTEXT],
          ...(await query.event(request.principal, request.params.eventID, epcFormatOf(request))),
        }),
    );

    scope.get(
      '/epcis/eventTypes',
      { schema: { tags: TAGS, summary: 'The event types this repository stores' } },
      async (request, reply) => {
        if (!request.principal) throw new EpcisError('SecurityException', 401, 'An API token is required');
        return reply
          .type('application/ld+json')
          .send({ '@context': [EPCIS_CONTEXT], type: 'Collection', member: [...EVENT_TYPES] });
      },
    );

    scope.get<{ Params: { epc: string } }>(
      '/epcis/epcs/:epc/events',
      {
        schema: {
          tags: TAGS,
          summary: 'Events naming an EPC (URN or GS1 Digital Link URI, URL-encoded) in any role',
        },
      },
      async (request, reply) =>
        eventsPage(
          request,
          reply,
          { ...(request.query as Record<string, unknown>), MATCH_anyEPC: request.params.epc },
          `/epcis/epcs/${encodeURIComponent(request.params.epc)}/events`,
        ),
    );

    scope.get<{ Querystring: { chain?: string; from?: string; to?: string } }>(
      '/epcis/integrity',
      {
        schema: {
          tags: TAGS,
          summary:
            'Re-verifies the hash chains of the events the caller may see (optionally one chain, links from–to): every link, its hash and its predecessor; reports any break',
        },
      },
      async (request) => {
        const n = (v: string | undefined) => (v && /^\d{1,12}$/.test(v) ? Number(v) : undefined);
        return query.integrity(request.principal, {
          ...(request.query.chain ? { chain: String(request.query.chain) } : {}),
          ...(n(request.query.from) ? { from: n(request.query.from)! } : {}),
          ...(n(request.query.to) ? { to: n(request.query.to)! } : {}),
        });
      },
    );
  });
}
