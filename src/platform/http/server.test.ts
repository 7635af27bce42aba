import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { openDatabase } from '../db/database.ts';
import { readMigrationFiles } from '../db/migrate.ts';
import { DomainError } from '../errors.ts';
import { createCatalogue } from '../i18n/index.ts';
import { platformMessages } from '../i18n/platform.messages.ts';
import { registerHealthRoutes } from './health.ts';
import { createHttpServer } from './server.ts';

after(dropOwnTemplates);

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

for (const engine of testEngines()) {
  describe(`HTTP platform (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(engine);
      // Routes that exist only in this test, to reach the error paths real routes share.
      app.server.get('/api/v1/test/boom', async () => {
        throw new Error('kaboom');
      });
      app.server.get('/test/boom', async () => {
        throw new Error('kaboom');
      });
      app.server.get('/api/v1/test/conflict', async () => {
        throw new DomainError('route_not_found', 'conflict');
      });
    });
    after(() => app?.close());

    test('GET /healthz: the process is up', async () => {
      const res = await app.server.inject('/healthz');
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().status, 'ok');
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    test('GET /readyz: database reachable and migrations current', async () => {
      const res = await app.server.inject('/readyz');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        status: 'ready',
        checks: { database: { ok: true }, migrations: { ok: true } },
      });
    });

    test('every response carries a request id; a sane incoming one is kept', async () => {
      const own = await app.server.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
      assert.equal(own.headers['x-request-id'], 'abc-123');
      const bad = await app.server.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
      assert.match(String(bad.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });

    test('security headers: strict CSP, nosniff, no framing, no referrer', async () => {
      const res = await app.server.inject({ url: '/', headers: HTML });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS on plain http');
    });

    test('unknown route: 404 problem+json under /api, HTML page for browsers, in their language', async () => {
      const api = await app.server.inject({
        url: '/api/v1/nothing-here',
        headers: { 'accept-language': 'en' },
      });
      assert.equal(api.statusCode, 404);
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
      const body = api.json();
      assert.equal(body.code, 'route_not_found');
      assert.equal(body.title, 'No such path');
      assert.equal(body.type, 'urn:ocop:problem:route_not_found');
      assert.equal(body.instance, '/api/v1/nothing-here');
      assert.equal(body.requestId, api.headers['x-request-id']);

      const page = await app.server.inject({ url: '/khong-co', headers: HTML });
      assert.equal(page.statusCode, 404);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /<html lang="vi">/);
      assert.match(page.body, /Không tìm thấy trang/);
      const en = await app.server.inject({ url: '/missing?lang=en', headers: HTML });
      assert.match(en.body, /<html lang="en">/);
      assert.match(en.body, /Page not found/);
    });

    test('wrong method on a known path: 405 with Allow', async () => {
      const res = await app.server.inject({ method: 'DELETE', url: '/api/v1/admin-units' });
      assert.equal(res.statusCode, 405);
      assert.equal(res.json().code, 'method_not_allowed');
      assert.match(String(res.headers.allow), /GET/);
      const post = await app.server.inject({ method: 'GET', url: '/api/v1/admin-units/lookup' });
      assert.equal(post.statusCode, 405);
      assert.equal(post.headers.allow, 'POST');
      const missingAsset = await app.server.inject('/assets/nope.css');
      assert.equal(missingAsset.statusCode, 404, 'a missing file is not a wrong method');
    });

    test('malformed JSON: 400 malformed_json; wrong content type: 415; body over the limit: 413', async () => {
      const malformed = await app.server.inject({
        method: 'POST',
        url: '/api/v1/admin-units/lookup',
        headers: { 'content-type': 'application/json' },
        payload: '{"codes": [',
      });
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.json().code, 'malformed_json');

      const text = await app.server.inject({
        method: 'POST',
        url: '/api/v1/admin-units/lookup',
        headers: { 'content-type': 'text/plain' },
        payload: 'codes=96',
      });
      assert.equal(text.statusCode, 415);
      assert.equal(text.json().code, 'unsupported_media_type');

      const big = await app.server.inject({
        method: 'POST',
        url: '/api/v1/admin-units/lookup',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ codes: ['96'], pad: 'x'.repeat(1024 * 1024) }),
      });
      assert.equal(big.statusCode, 413);
      assert.equal(big.json().code, 'payload_too_large');
    });

    test('validation errors list the fields at fault, translated', async () => {
      const res = await app.server.inject({
        method: 'POST',
        url: '/api/v1/admin-units/lookup?lang=en',
        payload: { era: '1999', codes: ['96', 'x'] },
      });
      assert.equal(res.statusCode, 400);
      const body = res.json();
      assert.equal(body.code, 'validation_failed');
      assert.equal(body.title, 'The request data is not valid');
      const names = body.errors.map((e: { name: string; rule: string }) => `${e.name}:${e.rule}`).sort();
      assert.ok(names.includes('codes/1:pattern'), names.join());
      assert.ok(
        names.some((n: string) => n.startsWith('era:')),
        names.join(),
      );
      assert.ok(
        body.errors.every((e: { in: string; detail: string }) => e.in === 'body' && e.detail.length > 0),
      );
    });

    test('odd input: NUL bytes, undecodable URLs, unknown or missing fields all get a 4xx problem', async () => {
      const nul = await app.server.inject('/api/v1/admin-units?q=a%00b');
      assert.equal(nul.statusCode, 400);
      assert.match(String(nul.headers['content-type']), /problem\+json/);
      const page = await app.server.inject({ url: '/admin-units?q=a%00b', headers: HTML });
      assert.equal(page.statusCode, 200, 'the search box drops control characters');
      const badUrl = await app.server.inject('/admin-units/%');
      assert.equal(badUrl.statusCode, 400);
      assert.equal(badUrl.json().code, 'bad_request');
      const extra = await app.server.inject({
        method: 'POST',
        url: '/api/v1/admin-units/lookup',
        payload: { codes: ['96'], extra: 1 },
      });
      assert.equal(extra.statusCode, 400);
      assert.equal(extra.json().errors[0].rule, 'additionalProperties');
      const empty = await app.server.inject({
        method: 'POST',
        url: '/api/v1/admin-units/lookup?lang=en',
        payload: { codes: [] },
      });
      assert.equal(empty.json().errors[0].detail, 'Must have at least 1 items');
      const era = await app.server.inject('/api/v1/admin-units?era=1975&lang=en');
      assert.deepEqual(
        era
          .json()
          .errors.map((e: { name: string; rule: string; detail: string }) => [e.name, e.rule, e.detail]),
        [['era', 'enum', 'Must be one of: 2025, pre2025']],
      );
      const badPage = await app.server.inject({ url: '/admin-units?era=1975', headers: HTML });
      assert.equal(badPage.statusCode, 400);
      assert.match(badPage.body, /Yêu cầu không hợp lệ/);
    });

    test('a domain error maps to its status through its kind', async () => {
      const res = await app.server.inject('/api/v1/test/conflict');
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'route_not_found');
    });

    test('an unexpected error: 500 problem without internals; an HTML page for browsers', async () => {
      const api = await app.server.inject('/api/v1/test/boom');
      assert.equal(api.statusCode, 500);
      assert.equal(api.json().code, 'internal_error');
      assert.doesNotMatch(api.body, /kaboom/);
      const page = await app.server.inject({ url: '/test/boom?lang=en', headers: HTML });
      assert.equal(page.statusCode, 500);
      assert.match(page.body, /Something went wrong/);
      assert.match(page.body, new RegExp(String(page.headers['x-request-id'])));
      assert.doesNotMatch(page.body, /kaboom/);
    });

    test('compression: large responses are sent br or gzip when asked', async () => {
      const res = await app.server.inject({
        url: '/api/v1/admin-units?level=commune&parent=96',
        headers: { 'accept-encoding': 'gzip' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-encoding'], 'gzip');
    });

    test('static assets: versioned URL, year-long immutable cache', async () => {
      const home = await app.server.inject({ url: '/', headers: HTML });
      const href = /href="(\/assets\/app\.css\?v=[0-9a-f]{12})"/.exec(home.body)?.[1];
      assert.ok(href, 'the layout links the versioned stylesheet');
      const css = await app.server.inject(href);
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['cache-control']), /max-age=31536000/);
      assert.match(String(css.headers['cache-control']), /immutable/);
      assert.match(String(css.headers['content-type']), /text\/css/);
    });

    test('OpenAPI 3.1 generated from the route schemas; browsable docs', async () => {
      const res = await app.server.inject('/api/openapi.json');
      assert.equal(res.statusCode, 200);
      const spec = res.json();
      assert.equal(spec.openapi, '3.1.0');
      assert.ok(spec.paths['/api/v1/admin-units']?.get);
      assert.ok(spec.paths['/api/v1/admin-units/{code}']?.get);
      assert.ok(spec.paths['/api/v1/admin-units/lookup']?.post);
      assert.ok(spec.paths['/healthz']?.get);
      assert.equal(spec.paths['/'], undefined, 'pages are not API');
      assert.ok(spec.components.schemas.Problem);
      assert.ok(spec.components.schemas.AdminUnit);
      const docs = await app.server.inject('/api/docs/');
      assert.equal(docs.statusCode, 200);
      assert.match(docs.body, /swagger/i);
    });

    test('language: ?lang= sets a cookie that later requests follow; Accept-Language otherwise', async () => {
      const first = await app.server.inject({ url: '/?lang=en', headers: HTML });
      assert.match(first.body, /<html lang="en">/);
      const cookie = String(first.headers['set-cookie']);
      assert.match(cookie, /^lang=en;/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      const next = await app.server.inject({ url: '/', headers: { ...HTML, cookie: 'lang=en' } });
      assert.match(next.body, /<html lang="en">/);
      const browser = await app.server.inject({
        url: '/',
        headers: { ...HTML, 'accept-language': 'en-US,en;q=0.9' },
      });
      assert.match(browser.body, /<html lang="en">/);
      const vi = await app.server.inject({ url: '/', headers: HTML });
      assert.match(vi.body, /<html lang="vi">/);
      assert.equal(vi.headers.vary, 'Accept-Language, Cookie');
    });
  });
}

test('/readyz says 503 while a migration is pending, and which', async () => {
  const database = await openDatabase({ engine: 'pglite' });
  const server = await createHttpServer({
    logger: pino({ level: 'silent' }),
    publicUrl: new URL('http://localhost'),
    catalogue: createCatalogue([platformMessages]),
    nav: [],
  });
  try {
    registerHealthRoutes(server, { database, migrations: readMigrationFiles() });
    const res = await server.inject('/readyz');
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().checks.database.ok, true);
    assert.match(res.json().checks.migrations.detail, /^pending: 0001_extensions\.sql/);
  } finally {
    await server.close();
    await database.close();
  }
});

test('https public URL switches on HSTS and Secure cookies', async () => {
  const database = await openDatabase({ engine: 'pglite' });
  const server = await createHttpServer({
    logger: pino({ level: 'silent' }),
    publicUrl: new URL('https://ocop.example.vn'),
    catalogue: createCatalogue([platformMessages]),
    nav: [],
  });
  try {
    registerHealthRoutes(server, { database, migrations: [] });
    const res = await server.inject('/healthz?lang=en');
    assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
    assert.match(String(res.headers['set-cookie']), /Secure/);
  } finally {
    await server.close();
    await database.close();
  }
});

test('/readyz says 503 while the database is unreachable and recovers when it returns', async (t) => {
  const url = testEngines().includes('postgres')
    ? process.env.TEST_DATABASE_URL || process.env.DATABASE_URL
    : undefined;
  if (!url) {
    t.skip('needs PostgreSQL (TEST_DATABASE_URL or DATABASE_URL)');
    return;
  }
  // A TCP relay between the pool and PostgreSQL that the test can cut and restore.
  const upstream = new URL(url);
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client).add(server);
    client.pipe(server).pipe(client);
    const drop = () => {
      client.destroy();
      server.destroy();
    };
    client.on('error', drop).on('close', drop);
    server.on('error', drop).on('close', drop);
  });
  let up = true;
  relay.on('connection', (socket) => {
    if (!up) socket.destroy();
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const relayed = new URL(url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String((relay.address() as net.AddressInfo).port);

  const database = await openDatabase({ engine: 'postgres', url: relayed.toString(), poolSize: 2 });
  const server = await createHttpServer({
    logger: pino({ level: 'silent' }),
    publicUrl: new URL('http://localhost'),
    catalogue: createCatalogue([platformMessages]),
    nav: [],
  });
  registerHealthRoutes(server, { database, migrations: readMigrationFiles().slice(0, 0) });
  server.get('/api/v1/test/db', async () => (await database.ping(), { ok: true }));
  try {
    assert.equal((await server.inject('/readyz')).statusCode, 200);
    up = false;
    for (const socket of sockets) socket.destroy();
    const down = await server.inject('/readyz');
    assert.equal(down.statusCode, 503);
    const query = await server.inject('/api/v1/test/db');
    assert.equal(query.statusCode, 503, 'a request that needs the database says so');
    assert.equal(query.json().code, 'service_unavailable');
    assert.equal(down.json().checks.database.ok, false);
    assert.equal(
      (await server.inject('/healthz')).statusCode,
      200,
      'liveness does not depend on the database',
    );
    up = true;
    assert.equal((await server.inject('/readyz')).statusCode, 200);
  } finally {
    await server.close();
    await database.close();
    relay.close();
  }
});
