import { randomUUID } from 'node:crypto';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import FindMyWay, { type HTTPVersion } from 'find-my-way';
import type { Principal } from '../auth.ts';
import { DomainError, type FieldError } from '../errors.ts';
import { type Catalogue, type Locale, negotiateLocale, type Translate } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import { ASSET_PREFIX, PUBLIC_DIR } from '../views/assets.ts';
import { renderDocument } from '../views/jsx.ts';
import type { NavItem, PageContext } from '../views/layout.tsx';
import { csrfToken, isFormRequest, verifyCsrf } from './csrf.ts';
import { ErrorPage } from './error-page.tsx';
import { buildProblem, fieldsFromValidation, PROBLEM_CONTENT_TYPE, STATUS_OF_KIND } from './problem.ts';
import { ProblemSchema } from './problem-schema.ts';
import { securityHeaders } from './security-headers.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, as method and URL pattern (for the role × route test matrix). */
    routeList: { method: string; url: string }[];
  }
  interface FastifyRequest {
    /** Who is asking: null for the anonymous public. */
    principal: Principal | null;
    locale: Locale;
    t: Translate;
    /** What a server-rendered page needs: language, translator, URL, navigation. */
    page: PageContext;
  }
}

export type { FastifyReply, FastifyRequest } from 'fastify';
/** The server handed to module routes: route schemas (TypeBox) type the handlers. */
export type HttpServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpServerOptions {
  logger: Logger;
  /** Where the platform is reached from outside; https switches on HSTS and Secure cookies. */
  publicUrl: URL;
  catalogue: Catalogue;
  nav: NavItem[];
  /** Body size limit for JSON and forms, in bytes. */
  bodyLimit?: number;
  /** Largest file a form may upload, in bytes (default 20 MB). */
  uploadLimitBytes?: number;
  /** Finds the principal of a request (session cookie, API token); absent: everyone anonymous. */
  authenticate?: (request: FastifyRequest) => Promise<Principal | null>;
}

/** A file sent in a multipart form. */
export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
  /** It passed the upload limit: `bytes` holds only the start. */
  tooLarge: boolean;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).bytes);
}

/** Multipart parts ({ value }) as plain values: strings for fields, UploadedFile for the file. */
function flattenMultipart(body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, part] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(part) ? part[0] : part;
    out[key] = (first as { value?: unknown } | undefined)?.value;
  }
  return out;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const LANG_COOKIE = 'lang';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;
const API_PREFIXES = ['/api/', '/epcis'];

/** Paths whose errors are always problem+json, never HTML pages. */
function isApiPath(url: string): boolean {
  return API_PREFIXES.some((prefix) => url.startsWith(prefix)) || url === '/healthz' || url === '/readyz';
}

function wantsHtml(request: FastifyRequest): boolean {
  return !isApiPath(request.url) && (request.headers.accept ?? '').includes('text/html');
}

/** The database went away (refused, reset, shut down): 503, not 500. */
function isConnectionError(error: { code?: unknown; message?: unknown }): boolean {
  const code = String(error.code ?? '');
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03'].includes(code) ||
    code.startsWith('08') ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(String(error.message ?? ''))
  );
}

export function sendPage(
  reply: FastifyReply,
  document: ReturnType<typeof renderDocument> | string,
  status = 200,
) {
  return reply
    .status(status)
    .header('vary', 'Accept-Language, Cookie')
    .type('text/html; charset=utf-8')
    .send(document);
}

/**
 * The HTTP server with everything every module relies on: request ids, language, problem+json
 * errors, HTML error pages, security headers, compression, static assets, OpenAPI.
 * Modules add their routes to the returned instance.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const secure = options.publicUrl.protocol === 'https:';
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    return503OnClosing: true,
    // Unknown body fields are refused (additionalProperties: false), not silently dropped.
    ajv: {
      customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true },
    },
    // A URL that cannot be decoded gets the same problem+json as every other bad request.
    frameworkErrors: (error, request, reply) => {
      request.log.info({ err: error }, 'malformed request');
      const problem = buildProblem({
        t: options.catalogue.translator('vi'),
        status: 400,
        code: 'bad_request',
        requestId: request.id,
      });
      reply
        .code(400 as never)
        .type(PROBLEM_CONTENT_TYPE)
        .send(JSON.stringify(problem) as never);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The JSON API takes JSON; plain text is not a body any route accepts (415, not a confusing 400).
  app.removeContentTypeParser('text/plain');

  // Every route, by method, so an unknown method on a known path answers 405, not 404.
  const routeIndex = FindMyWay<HTTPVersion.V1>();
  const routeList: { method: string; url: string }[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routeList.push({ method, url: route.url });
      try {
        routeIndex.on(method as 'GET', route.url, () => {});
      } catch {
        // the same route under another prefix/constraint: already indexed
      }
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  // File uploads: buffered up to the limit; an oversized file arrives marked `tooLarge` so the
  // form can say so next to its field. The body becomes { field: string, file: UploadedFile }.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    throwFileSizeLimit: false,
    limits: {
      fileSize: options.uploadLimitBytes ?? 20 * 1024 * 1024,
      files: 1,
      fields: 100,
      fieldSize: 100_000,
    },
    onFile: async (part) => {
      const bytes = await part.toBuffer();
      const upload: UploadedFile = { fileName: part.filename, bytes, tooLarge: part.file.truncated };
      (part as unknown as { value: UploadedFile }).value = upload;
    },
  });
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: ASSET_PREFIX,
    decorateReply: false,
    immutable: true,
    maxAge: ONE_YEAR_SECONDS * 1000,
    index: false,
  });

  app.decorateRequest('principal', null);
  app.decorateRequest('locale', 'vi');
  app.decorateRequest('t', null as unknown as Translate);
  app.decorateRequest('page', null as unknown as PageContext);
  const headers = securityHeaders(secure);
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    const query = request.query as Record<string, unknown> | undefined;
    const asked = typeof query?.lang === 'string' ? query.lang : undefined;
    const locale = negotiateLocale({
      query: asked,
      cookie: request.cookies[LANG_COOKIE],
      acceptLanguage: request.headers['accept-language'],
    });
    if (asked === locale && request.cookies[LANG_COOKIE] !== locale) {
      reply.setCookie(LANG_COOKIE, locale, {
        path: '/',
        maxAge: ONE_YEAR_SECONDS,
        sameSite: 'lax',
        secure,
        httpOnly: true,
      });
    }
    request.locale = locale;
    request.t = options.catalogue.translator(locale);
    // Static files and probes never depend on who asks: no session lookup on those hot paths.
    const anonymousPath =
      request.url.startsWith(ASSET_PREFIX) || request.url === '/healthz' || request.url === '/readyz';
    request.principal = options.authenticate && !anonymousPath ? await options.authenticate(request) : null;
    request.page = {
      locale,
      t: request.t,
      url: request.url,
      nav: options.nav,
      user: request.principal ? { name: request.principal.name } : null,
      csrf: () => csrfToken(request, reply, secure),
    };
  });
  // Every form post must carry its CSRF token (checked before validation: nothing runs without it).
  app.addHook('preValidation', async (request) => {
    if (request.isMultipart()) request.body = flattenMultipart(request.body);
    // an API token is not an ambient credential a browser would send cross-site: no CSRF token
    if (
      request.method !== 'GET' &&
      request.method !== 'HEAD' &&
      isFormRequest(request) &&
      request.principal?.via !== 'token'
    ) {
      verifyCsrf(request);
    }
  });

  await app.register(fastifySwagger, {
    // Upload routes parse multipart themselves (no body schema to validate against); they describe
    // their form in `config.multipartBody`, which goes into the documentation only.
    transform: ({ schema, url, route }) => {
      const body = (route.config as { multipartBody?: unknown } | undefined)?.multipartBody;
      return body ? { schema: { ...schema, consumes: ['multipart/form-data'], body }, url } : { schema, url };
    },
    // Shared schemas keep their $id as their name under components/schemas.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OCOP Platform API',
        version: '1',
        description:
          "JSON API of the OCOP platform (Vietnam's One Commune One Product programme). Errors are RFC 9457 problem+json with a stable `code`; titles follow the request language (`?lang=vi|en`, `lang` cookie or Accept-Language).",
      },
      servers: [{ url: options.publicUrl.origin }],
    },
  });
  app.addSchema(ProblemSchema);
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Its policy asks browsers to upgrade to https, which breaks the docs on a plain-http install.
    transformStaticCSP: (header) => (secure ? header : header.replace(/\s*upgrade-insecure-requests;?/, '')),
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const sendError = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    code: string,
    extra: { params?: Record<string, string | number>; fields?: FieldError[] } = {},
  ) => {
    const t = request.t ?? options.catalogue.translator('vi');
    if (wantsHtml(request) && request.page) {
      // A domain error says precisely what went wrong; generic statuses use the page's own text.
      const specific = !['route_not_found', 'internal_error', 'bad_request', 'validation_failed'].includes(
        code,
      );
      const detail = specific ? { detail: t(`errors.${code}`, extra.params) } : {};
      return sendPage(
        reply,
        renderDocument(ErrorPage({ page: request.page, status, requestId: request.id, ...detail })),
        status,
      );
    }
    const problem = buildProblem({
      t,
      status,
      code,
      ...extra,
      instance: request.url.split('?')[0],
      requestId: request.id,
    });
    return reply.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  };

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // GET and HEAD go together: a HEAD-only match (a static file that does not exist) is a 404.
    const reading = request.method === 'GET' || request.method === 'HEAD';
    const allowed = (['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const).filter(
      (method) =>
        method !== request.method &&
        !(reading && (method === 'GET' || method === 'HEAD')) &&
        routeIndex.find(method, path) !== null,
    );
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(request, reply, 405, 'method_not_allowed');
    }
    return sendError(request, reply, 404, 'route_not_found');
  });

  app.setErrorHandler((error: Error & Record<string, unknown>, request, reply) => {
    if (error instanceof DomainError) {
      const status = STATUS_OF_KIND[error.kind];
      if (error.kind === 'rate_limited') reply.header('retry-after', String(error.params.retryAfter ?? 60));
      if (error.kind === 'method_not_allowed') reply.header('allow', String(error.params.allow ?? ''));
      if (error.kind === 'unauthenticated' && wantsHtml(request)) {
        // A page that needs a signed-in user: to the login page, then back here.
        return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      }
      return sendError(request, reply, status, error.code, { params: error.params, fields: error.fields });
    }
    if (Array.isArray(error.validation)) {
      const fields = fieldsFromValidation(error.validation, error.validationContext as string | undefined);
      return sendError(request, reply, 400, 'validation_failed', { fields });
    }
    // PostgreSQL refused a value (not a UUID, too long, out of range, a date that does not
    // exist, a CHECK): the input's fault, and nothing was written
    if (
      ['22021', '22P05', '22P02', '22001', '22003', '22007', '22008', '23514'].includes(String(error.code))
    ) {
      request.log.info({ err: error }, 'value refused by the database');
      return sendError(request, reply, 400, 'bad_request');
    }
    // a multipart body that cannot be parsed (no boundary, cut short): the sender's fault
    if (
      /^Multipart: |Unexpected end of (form|file|multipart)|Malformed part header|Part terminated early|^Premature close$/i.test(
        String(error.message),
      )
    ) {
      return sendError(request, reply, 400, 'bad_request');
    }
    if (isConnectionError(error)) {
      request.log.error({ err: error }, 'database unavailable');
      reply.header('retry-after', '10');
      return sendError(request, reply, 503, 'service_unavailable');
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code =
        status === 413
          ? 'payload_too_large'
          : status === 415
            ? 'unsupported_media_type'
            : status === 429
              ? 'too_many_requests'
              : error instanceof SyntaxError || String(error.code ?? '').includes('JSON')
                ? 'malformed_json'
                : 'bad_request';
      return sendError(request, reply, status, code);
    }
    if (status === 503) return sendError(request, reply, 503, 'service_unavailable');
    request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, 500, 'internal_error');
  });

  return app;
}
