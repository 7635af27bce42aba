/**
 * The role × route matrix: for every route the platform serves, the status each role gets.
 * A route missing from the table fails the test, so every new route must say who may use it.
 * "login" = a page that sends the visitor to the sign-in page (303 to /login?next=…).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { signIn, startTestApp, type TestApp } from './support/app.ts';
import { dropOwnTemplates, testEngines } from './support/db.ts';

after(dropOwnTemplates);

const ROLES = [
  'anonymous',
  'admin',
  'province_office',
  'commune_officer',
  'council_member',
  'council_secretary',
  'producer',
] as const;
type Who = (typeof ROLES)[number];
type Expect = number | 'login' | `redirect:${string}`;

interface Case {
  method: string;
  /** The route pattern as registered. */
  route: string;
  /** The concrete URL to call (default: the pattern). */
  url?: (ctx: Context) => string | Promise<string>;
  json?: (ctx: Context) => unknown;
  form?: (ctx: Context) => Record<string, string>;
  expect: Record<Who, Expect> | Expect;
}

interface Context {
  app: TestApp;
  /** A commune officer of Cà Mau (31825) that the offices may manage. */
  targetUserId: string;
  /** A new pending sign-up in commune 32002 (Cà Mau). */
  pendingRegistration(): Promise<string>;
}

const all = (status: Expect): Record<Who, Expect> =>
  Object.fromEntries(ROLES.map((r) => [r, status])) as Record<Who, Expect>;
const signedIn = (status: Expect, anonymous: Expect = 401): Record<Who, Expect> => ({
  ...all(status),
  anonymous,
});
const only = (
  allowed: Partial<Record<Who, Expect>>,
  denied: Expect,
  anonymous: Expect = 401,
): Record<Who, Expect> => ({
  ...all(denied),
  anonymous,
  ...allowed,
});
const unique = () => `${randomUUID().slice(0, 8)}@matrix.vn`;
const newOfficer = () => ({
  email: unique(),
  name: 'Cán bộ mới',
  role: 'commune_officer',
  scopeCode: '31825',
  password: 'mat-khau-dai-du',
});
const registration = () => ({
  name: 'Người đăng ký',
  email: unique(),
  password: 'mat-khau-dai-du',
  producerName: 'HTX thử',
  communeCode: '32002',
});
const ZERO = '00000000-0000-4000-8000-000000000000';

const CASES: Case[] = [
  // public pages and API
  { method: 'GET', route: '/', expect: 200 },
  { method: 'GET', route: '/healthz', expect: 200 },
  { method: 'GET', route: '/readyz', expect: 200 },
  { method: 'GET', route: '/api/openapi.json', expect: 200 },
  { method: 'GET', route: '/api/docs', expect: 200 },
  { method: 'GET', route: '/api/docs/json', expect: 200 },
  { method: 'GET', route: '/api/docs/yaml', expect: 200 },
  { method: 'GET', route: '/api/docs/static/index.html', expect: 'redirect:/api/docs/' as Expect },
  { method: 'GET', route: '/api/docs/static/swagger-initializer.js', expect: 200 },
  { method: 'GET', route: '/api/docs/static/*', url: () => '/api/docs/static/swagger-ui.css', expect: 200 },
  { method: 'GET', route: '/assets/*', url: () => '/assets/app.css', expect: 200 },
  { method: 'GET', route: '/admin-units', expect: 200 },
  { method: 'GET', route: '/admin-units/:code', url: () => '/admin-units/96', expect: 200 },
  { method: 'GET', route: '/api/v1/admin-units', expect: 200 },
  { method: 'GET', route: '/api/v1/admin-units/:code', url: () => '/api/v1/admin-units/96', expect: 200 },
  { method: 'GET', route: '/api/v1/admin-units/lookup', expect: 405 },
  { method: 'POST', route: '/api/v1/admin-units/lookup', json: () => ({ codes: ['96'] }), expect: 200 },
  // signing in and out
  { method: 'GET', route: '/login', expect: { ...all('redirect:/account'), anonymous: 200 } },
  {
    method: 'POST',
    route: '/login',
    form: () => ({ email: unique(), password: 'sai-mat-khau' }),
    expect: 401,
  },
  { method: 'POST', route: '/logout', form: () => ({}), expect: 'redirect:/' },
  {
    method: 'POST',
    route: '/api/v1/auth/login',
    json: () => ({ email: unique(), password: 'sai-mat-khau' }),
    expect: 401,
  },
  { method: 'POST', route: '/api/v1/auth/logout', expect: 204 },
  { method: 'GET', route: '/api/v1/auth/me', expect: signedIn(200) },
  // sign-up and password reset: public
  { method: 'GET', route: '/register', expect: 200 },
  { method: 'POST', route: '/register', form: () => registration(), expect: 201 },
  { method: 'POST', route: '/api/v1/registrations', json: () => registration(), expect: 201 },
  { method: 'GET', route: '/password-reset', expect: 200 },
  { method: 'POST', route: '/password-reset', form: () => ({ email: 'ai@dau.vn' }), expect: 200 },
  {
    method: 'GET',
    route: '/password-reset/:token',
    url: () => `/password-reset/${'x'.repeat(43)}`,
    expect: 410,
  },
  {
    method: 'POST',
    route: '/password-reset/:token',
    url: () => `/password-reset/${'x'.repeat(43)}`,
    form: () => ({ newPassword: 'mat-khau-dai-du' }),
    expect: 422,
  },
  // my account
  { method: 'GET', route: '/account', expect: signedIn(200, 'login') },
  {
    method: 'POST',
    route: '/account/password',
    form: () => ({ currentPassword: 'sai', newPassword: 'mat-khau-dai-du' }),
    expect: signedIn(422, 'login'),
  },
  { method: 'POST', route: '/account/logout-all', form: () => ({}), expect: signedIn(200, 'login') },
  { method: 'GET', route: '/account/tokens', expect: signedIn(200, 'login') },
  { method: 'POST', route: '/account/tokens', form: () => ({ name: 'máy' }), expect: signedIn(201, 'login') },
  {
    method: 'POST',
    route: '/account/tokens/:id/revoke',
    url: () => `/account/tokens/${ZERO}/revoke`,
    form: () => ({}),
    expect: signedIn(404, 'login'),
  },
  { method: 'GET', route: '/api/v1/tokens', expect: signedIn(200) },
  { method: 'POST', route: '/api/v1/tokens', json: () => ({ name: 'máy' }), expect: signedIn(201) },
  {
    method: 'DELETE',
    route: '/api/v1/tokens/:id',
    url: () => `/api/v1/tokens/${ZERO}`,
    expect: signedIn(404),
  },
  // users: administrators everywhere, province offices in their province
  { method: 'GET', route: '/api/v1/users', expect: only({ admin: 200, province_office: 200 }, 403) },
  {
    method: 'POST',
    route: '/api/v1/users',
    json: () => newOfficer(),
    expect: only({ admin: 201, province_office: 201 }, 403),
  },
  {
    method: 'GET',
    route: '/api/v1/users/:id',
    url: (ctx) => `/api/v1/users/${ctx.targetUserId}`,
    expect: only({ admin: 200, province_office: 200 }, 404),
  },
  {
    method: 'PATCH',
    route: '/api/v1/users/:id',
    url: (ctx) => `/api/v1/users/${ctx.targetUserId}`,
    json: () => ({ status: 'active' }),
    expect: only({ admin: 200, province_office: 200 }, 404),
  },
  { method: 'GET', route: '/admin/users', expect: only({ admin: 200, province_office: 200 }, 403, 'login') },
  {
    method: 'GET',
    route: '/admin/users/:id',
    url: (ctx) => `/admin/users/${ctx.targetUserId}`,
    expect: only({ admin: 200, province_office: 200 }, 404, 'login'),
  },
  {
    method: 'POST',
    route: '/admin/users/:id',
    url: (ctx) => `/admin/users/${ctx.targetUserId}`,
    form: () => ({ name: 'Mục tiêu', role: 'commune_officer', scopeCode: '31825', phone: '' }),
    expect: only({ admin: 'redirect:/admin/users', province_office: 'redirect:/admin/users' }, 404, 'login'),
  },
  {
    method: 'POST',
    route: '/admin/users',
    form: () => ({ ...newOfficer() }),
    expect: only({ admin: 201, province_office: 201 }, 403, 'login'),
  },
  {
    method: 'POST',
    route: '/admin/users/:id/status',
    url: (ctx) => `/admin/users/${ctx.targetUserId}/status`,
    form: () => ({ status: 'active' }),
    expect: only({ admin: 'redirect:/admin/users', province_office: 'redirect:/admin/users' }, 404, 'login'),
  },
  // producer sign-ups: decided by the commune, the province office or an administrator
  {
    method: 'GET',
    route: '/api/v1/registrations',
    expect: only({ admin: 200, province_office: 200, commune_officer: 200 }, 403),
  },
  {
    method: 'POST',
    route: '/api/v1/registrations/:id/decision',
    url: async (ctx) => `/api/v1/registrations/${await ctx.pendingRegistration()}/decision`,
    json: () => ({ decision: 'rejected' }),
    expect: only({ admin: 200, province_office: 200, commune_officer: 200 }, 404),
  },
  {
    method: 'GET',
    route: '/admin/registrations',
    expect: only({ admin: 200, province_office: 200, commune_officer: 200 }, 403, 'login'),
  },
  {
    method: 'POST',
    route: '/admin/registrations/:id',
    url: async (ctx) => `/admin/registrations/${await ctx.pendingRegistration()}`,
    form: () => ({ decision: 'rejected' }),
    expect: only(
      {
        admin: 'redirect:/admin/registrations',
        province_office: 'redirect:/admin/registrations',
        commune_officer: 'redirect:/admin/registrations',
      },
      403,
      'login',
    ),
  },
  // audit log and outbox
  { method: 'GET', route: '/api/v1/audit', expect: only({ admin: 200, province_office: 200 }, 403) },
  { method: 'GET', route: '/admin/audit', expect: only({ admin: 200, province_office: 200 }, 403, 'login') },
  { method: 'GET', route: '/api/v1/outbox', expect: only({ admin: 200 }, 403) },
  { method: 'GET', route: '/admin/outbox', expect: only({ admin: 200 }, 403, 'login') },
];

const SCOPES: Partial<Record<Who, string>> = { province_office: '96', commune_officer: '32002' };

for (const engine of testEngines()) {
  describe(`role × route matrix (${engine})`, () => {
    let app: TestApp;
    let ctx: Context;
    before(async () => {
      app = await startTestApp(engine);
      const target = await app.identity.createUser({ actor: { type: 'system' } }, null, {
        email: 'muctieu@camau.vn',
        name: 'Mục tiêu',
        role: 'commune_officer',
        scopeCode: '31825',
        password: 'mat-khau-dai-du',
      });
      ctx = {
        app,
        targetUserId: target.id,
        pendingRegistration: async () =>
          (await app.identity.register({ actor: { type: 'anonymous' }, ip: randomUUID() }, registration()))
            .userId,
      };
    });
    after(() => app?.close());

    test('every route has a row in the matrix', async () => {
      await app.server.ready();
      const served = new Set(
        app.server.routeList.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`),
      );
      const listed = new Set(CASES.map((c) => `${c.method} ${c.route}`));
      assert.deepEqual([...served].filter((r) => !listed.has(r)).sort(), [], 'routes without a row');
      assert.deepEqual([...listed].filter((r) => !served.has(r)).sort(), [], 'rows without a route');
    });

    for (const who of ROLES) {
      test(`${who}: each route answers as the matrix says`, async () => {
        const failures: string[] = [];
        for (const c of CASES) {
          // a fresh session for each call: some calls end sessions
          let cookie = '';
          let csrf = '';
          if (who !== 'anonymous') {
            const agent = await signIn(app, {
              email: `${who}@matrix.vn`,
              role: who,
              scopeCode: SCOPES[who] ?? null,
            });
            cookie = agent.cookie;
            csrf = agent.csrf;
          } else if (c.form) {
            const login = await app.server.inject({ url: '/login', headers: { accept: 'text/html' } });
            cookie = String(
              ([] as string[])
                .concat(login.headers['set-cookie'] as string[])
                .find((x) => x.startsWith('ocop_csrf=')),
            ).split(';')[0]!;
            csrf = /name="_csrf" value="([^"]+)"/.exec(login.body)![1]!;
          }
          const url = c.url ? await c.url(ctx) : c.route;
          const headers: Record<string, string> = {
            accept: c.json || c.method !== 'GET' || url.startsWith('/api') ? 'application/json' : 'text/html',
          };
          if (!url.startsWith('/api') && !c.json) headers.accept = 'text/html';
          if (cookie) headers.cookie = cookie;
          let payload: string | undefined;
          if (c.form) {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            payload = new URLSearchParams({ ...c.form(ctx), _csrf: csrf }).toString();
          } else if (c.json) {
            headers['content-type'] = 'application/json';
            payload = JSON.stringify(c.json(ctx));
          }
          // each role from its own address, so that the per-address sign-in limit is not shared
          const remoteAddress = `127.0.0.${ROLES.indexOf(who) + 10}`;
          const res = await app.server.inject({
            method: c.method as 'GET',
            url,
            headers,
            remoteAddress,
            ...(payload !== undefined ? { payload } : {}),
          });
          const expected = typeof c.expect === 'object' ? c.expect[who] : c.expect;
          let ok: boolean;
          if (expected === 'login')
            ok = res.statusCode === 303 && String(res.headers.location).startsWith('/login?next=');
          else if (typeof expected === 'string') {
            ok =
              [302, 303].includes(res.statusCode) &&
              res.headers.location === expected.slice('redirect:'.length);
          } else ok = res.statusCode === expected;
          if (!ok)
            failures.push(
              `${c.method} ${url}: expected ${expected}, got ${res.statusCode} ${res.headers.location ?? ''}`,
            );
        }
        assert.deepEqual(failures, []);
      });
    }
  });
}
