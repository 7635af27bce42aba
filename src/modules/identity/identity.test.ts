import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createProducer, signIn, startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';

after(dropOwnTemplates);

const json = (
  app: TestApp,
  method: string,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) => app.server.inject({ method: method as 'GET', url, payload: payload as never, headers });

const count = async (app: TestApp, table: string, where = 'true') =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.raw(table)} where ${sql.raw(where)}`.execute(app.database.db)
  ).rows[0]!.n;

/** The cookie value a response set, as "name=value". */
const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string | string[] | undefined) ?? [])
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];

for (const engine of testEngines()) {
  describe(`identity (${engine})`, () => {
    let app: TestApp;
    beforeEach(async () => {
      app = await startTestApp(engine);
    });
    const close = () => app?.close();
    // each test gets a fresh database: identity tests write
    afterEach(close);

    test('a sign-in with an absurdly long e-mail is a wrong sign-in, not a server error', async () => {
      const csrfPage = await app.server.inject({ url: '/login', headers: { accept: 'text/html' } });
      const cookie = ([] as string[])
        .concat(csrfPage.headers['set-cookie'] as string[])
        .find((c) => c.startsWith('ocop_csrf='))!
        .split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(csrfPage.body)![1]!;
      const res = await app.server.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: csrf,
          email: `${'a'.repeat(100_000)}@x.vn`,
          password: 'sai',
        }).toString(),
      });
      assert.equal(res.statusCode, 401);
    });

    test('bootstrap: the first start creates one administrator whose one-time password works', async () => {
      const admin = await app.identity.bootstrapAdmin();
      assert.ok(admin);
      assert.equal(await app.identity.bootstrapAdmin(), null, 'only once');
      const res = await json(app, 'POST', '/api/v1/auth/login', {
        email: admin.email,
        password: admin.password,
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().user.role, 'admin');
      const cookie = String(
        ([] as string[])
          .concat(res.headers['set-cookie'] as string[])
          .find((c) => c.startsWith('ocop_session=')),
      );
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.doesNotMatch(cookie, /Secure/, 'plain http here');
      assert.equal(await count(app, 'identity.session'), 1);
      assert.equal(await count(app, 'platform.audit_log', "action = 'session.login'"), 1);
      await close();
    });

    test('sign-in: wrong password and unknown e-mail fail alike; me and logout', async () => {
      const officer = await signIn(app, {
        email: 'canbo@anxuyen.vn',
        role: 'commune_officer',
        scopeCode: '32002',
      });
      const wrong = await json(app, 'POST', '/api/v1/auth/login', {
        email: 'canbo@anxuyen.vn',
        password: 'sai-mat-khau',
      });
      const unknown = await json(app, 'POST', '/api/v1/auth/login', {
        email: 'ai@dau.vn',
        password: 'sai-mat-khau',
      });
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.json().title, unknown.json().title);
      assert.equal(wrong.json().code, 'login_failed');
      const me = await json(app, 'GET', '/api/v1/auth/me', undefined, { cookie: officer.cookie });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().scopeCode, '32002');
      const out = await json(app, 'POST', '/api/v1/auth/logout', undefined, { cookie: officer.cookie });
      assert.equal(out.statusCode, 204);
      assert.equal(
        (await json(app, 'GET', '/api/v1/auth/me', undefined, { cookie: officer.cookie })).statusCode,
        401,
      );
      await close();
    });

    test('too many failed sign-ins: 429 with Retry-After, per account and growing', async () => {
      await signIn(app, { email: 'nhapsai@x.vn', role: 'council_member' });
      const statuses: number[] = [];
      let retryAfter = '';
      for (let i = 0; i < 7; i++) {
        const res = await json(app, 'POST', '/api/v1/auth/login', {
          email: 'nhapsai@x.vn',
          password: 'khong-dung',
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) retryAfter = String(res.headers['retry-after']);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429]);
      assert.ok(Number(retryAfter) >= 1);
      // even the right password waits while blocked
      const right = await json(app, 'POST', '/api/v1/auth/login', {
        email: 'nhapsai@x.vn',
        password: 'mat-khau-thu-nghiem',
      });
      assert.equal(right.statusCode, 429);
      await close();
    });

    test('an idle or expired session sends a page back to sign-in, then to the page first asked for', async () => {
      const user = await signIn(app, { email: 'idle@x.vn', role: 'council_member' });
      await sql`update identity.session set last_seen_at = now() - interval '3 hours'`.execute(
        app.database.db,
      );
      const page = await app.server.inject({
        url: '/account',
        headers: { cookie: user.cookie, accept: 'text/html' },
      });
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, '/login?next=%2Faccount');
      assert.equal(await count(app, 'identity.session'), 0, 'the dead session is removed');
      // sign in through the form, with the CSRF cookie the login page set
      const form = await app.server.inject({
        url: '/login?next=%2Faccount',
        headers: { accept: 'text/html' },
      });
      const csrfCookie = cookieOf(form, 'ocop_csrf')!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const login = await app.server.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: csrf,
          email: 'idle@x.vn',
          password: 'mat-khau-thu-nghiem',
          next: '/account',
        }).toString(),
      });
      assert.equal(login.statusCode, 303);
      assert.equal(login.headers.location, '/account');
      assert.ok(cookieOf(login, 'ocop_session'));
      // an absolute expiry ends it too
      await sql`update identity.session set expires_at = now() - interval '1 second'`.execute(
        app.database.db,
      );
      assert.equal(
        (await json(app, 'GET', '/api/v1/auth/me', undefined, { cookie: cookieOf(login, 'ocop_session')! }))
          .statusCode,
        401,
      );
      await close();
    });

    test('a form without a valid CSRF token: 403 and nothing written', async () => {
      await signIn(app, { email: 'csrf@x.vn', role: 'council_member' });
      const sessionsBefore = await count(app, 'identity.session');
      const auditBefore = await count(app, 'platform.audit_log');
      for (const payload of [
        'email=csrf%40x.vn&password=mat-khau-thu-nghiem',
        '_csrf=forged&email=csrf%40x.vn&password=mat-khau-thu-nghiem',
      ]) {
        const res = await app.server.inject({
          method: 'POST',
          url: '/login',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'text/html',
            cookie: 'ocop_csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
          },
          payload,
        });
        assert.equal(res.statusCode, 403);
      }
      assert.equal(await count(app, 'identity.session'), sessionsBefore);
      assert.equal(await count(app, 'platform.audit_log'), auditBefore);
      await close();
    });

    test('password change: the current one is checked; other sessions end', async () => {
      const first = await signIn(app, { email: 'doimk@x.vn', role: 'council_member' });
      const second = await signIn(app, { email: 'doimk@x.vn', role: 'council_member' });
      const post = (payload: Record<string, string>) =>
        app.server.inject({
          method: 'POST',
          url: '/account/password',
          headers: {
            cookie: first.cookie,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'text/html',
          },
          payload: new URLSearchParams({ _csrf: first.csrf, ...payload }).toString(),
        });
      const wrong = await post({ currentPassword: 'khong-dung-dau', newPassword: 'mat-khau-moi-2026' });
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.body, /Mật khẩu hiện tại không đúng/);
      const short = await post({ currentPassword: 'mat-khau-thu-nghiem', newPassword: 'ngan' });
      assert.equal(short.statusCode, 422);
      assert.match(short.body, /Cần ít nhất 10 ký tự/);
      const ok = await post({ currentPassword: 'mat-khau-thu-nghiem', newPassword: 'mat-khau-moi-2026' });
      assert.equal(ok.statusCode, 200);
      assert.equal(
        (await json(app, 'GET', '/api/v1/auth/me', undefined, { cookie: second.cookie })).statusCode,
        401,
      );
      assert.equal(
        (await json(app, 'GET', '/api/v1/auth/me', undefined, { cookie: first.cookie })).statusCode,
        200,
      );
      const relog = await json(app, 'POST', '/api/v1/auth/login', {
        email: 'doimk@x.vn',
        password: 'mat-khau-moi-2026',
      });
      assert.equal(relog.statusCode, 200);
      await close();
    });

    test('users: each office creates within its scope; everything on record', async () => {
      const admin = await signIn(app, { email: 'admin@x.vn', role: 'admin' });
      const caMau = await signIn(app, { email: 'vp@camau.vn', role: 'province_office', scopeCode: '96' });
      const officer = await signIn(app, {
        email: 'xa@camau.vn',
        role: 'commune_officer',
        scopeCode: '32002',
      });
      const body = (email: string, role: string, scopeCode: string | null) => ({
        email,
        name: 'Người thử',
        role,
        scopeCode,
        password: 'mat-khau-dai-du',
      });

      const created = await json(
        app,
        'POST',
        '/api/v1/users',
        body('xa2@camau.vn', 'commune_officer', '31825'),
        { cookie: caMau.cookie },
      );
      assert.equal(created.statusCode, 201, created.body);
      const hanoi = await json(
        app,
        'POST',
        '/api/v1/users',
        body('xa@hanoi.vn', 'commune_officer', '00004'),
        { cookie: caMau.cookie },
      );
      assert.equal(hanoi.statusCode, 403);
      const asAdmin = await json(
        app,
        'POST',
        '/api/v1/users',
        body('xa@hanoi.vn', 'commune_officer', '00004'),
        { cookie: admin.cookie },
      );
      assert.equal(asAdmin.statusCode, 201);
      assert.equal(
        (await json(app, 'POST', '/api/v1/users', body('a@b.vn', 'admin', null), { cookie: caMau.cookie }))
          .statusCode,
        403,
      );
      assert.equal(
        (
          await json(app, 'POST', '/api/v1/users', body('c@b.vn', 'commune_officer', '32002'), {
            cookie: officer.cookie,
          })
        ).statusCode,
        403,
      );
      assert.equal(
        (await json(app, 'POST', '/api/v1/users', body('d@b.vn', 'commune_officer', '32002'))).statusCode,
        401,
      );
      const badScope = await json(app, 'POST', '/api/v1/users', body('e@b.vn', 'province_office', '32002'), {
        cookie: admin.cookie,
      });
      assert.equal(badScope.statusCode, 422, 'a commune code is not a province');
      assert.equal(badScope.json().code, 'invalid_scope');
      const unknownCommune = await json(
        app,
        'POST',
        '/api/v1/users',
        body('e@b.vn', 'commune_officer', '99999'),
        { cookie: admin.cookie },
      );
      assert.equal(unknownCommune.statusCode, 422);
      assert.equal(unknownCommune.json().errors[0].name, 'scopeCode');
      const dup = await json(app, 'POST', '/api/v1/users', body('XA2@camau.vn', 'commune_officer', '31825'), {
        cookie: admin.cookie,
      });
      assert.equal(dup.statusCode, 409);

      const list = await json(app, 'GET', '/api/v1/users', undefined, { cookie: caMau.cookie });
      const emails = list.json().items.map((u: { email: string }) => u.email);
      assert.ok(emails.includes('xa2@camau.vn') && emails.includes('xa@camau.vn'));
      assert.ok(
        !emails.includes('xa@hanoi.vn') && !emails.includes('admin@x.vn'),
        'another province and administrators stay hidden',
      );
      assert.equal(
        (await json(app, 'GET', `/api/v1/users/${asAdmin.json().id}`, undefined, { cookie: caMau.cookie }))
          .statusCode,
        404,
      );

      const audit = await json(
        app,
        'GET',
        `/api/v1/audit?entityType=user&entityId=${created.json().id}`,
        undefined,
        { cookie: admin.cookie },
      );
      assert.equal(audit.statusCode, 200);
      const record = audit.json().items[0];
      assert.equal(record.action, 'user.create');
      assert.equal(record.actor.label, 'vp@camau.vn');
      assert.deepEqual(record.diff.scope_code, [null, '31825']);
      assert.deepEqual(record.diff.password_hash, ['[secret]', '[changed]']);
      assert.ok(record.requestId);
      assert.equal(
        (await json(app, 'GET', '/api/v1/audit', undefined, { cookie: officer.cookie })).statusCode,
        403,
      );
      assert.equal((await json(app, 'GET', '/api/v1/audit')).statusCode, 401);

      // moving a user: allowed only when both the old and the new place are the office's
      const id = created.json().id;
      const moved = await json(
        app,
        'PATCH',
        `/api/v1/users/${id}`,
        { scopeCode: '32002', name: 'Đổi xã' },
        { cookie: caMau.cookie },
      );
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().scopeCode, '32002');
      const away = await json(
        app,
        'PATCH',
        `/api/v1/users/${id}`,
        { scopeCode: '00004' },
        { cookie: caMau.cookie },
      );
      assert.equal(away.statusCode, 403, 'not into another province');
      const promote = await json(
        app,
        'PATCH',
        `/api/v1/users/${id}`,
        { role: 'admin' },
        { cookie: caMau.cookie },
      );
      assert.equal(promote.statusCode, 403);
      assert.equal(
        (await json(app, 'PATCH', `/api/v1/users/${id}`, {}, { cookie: caMau.cookie })).statusCode,
        400,
      );

      // disabling ends the sessions; the last administrator cannot be disabled
      const disabled = await json(
        app,
        'PATCH',
        `/api/v1/users/${officer.userId}`,
        { status: 'disabled' },
        { cookie: caMau.cookie },
      );
      assert.equal(disabled.statusCode, 200);
      assert.equal(
        (await json(app, 'GET', '/api/v1/auth/me', undefined, { cookie: officer.cookie })).statusCode,
        401,
      );
      const last = await json(
        app,
        'PATCH',
        `/api/v1/users/${admin.userId}`,
        { status: 'disabled' },
        { cookie: admin.cookie },
      );
      assert.equal(last.statusCode, 409);
      const demote = await json(
        app,
        'PATCH',
        `/api/v1/users/${admin.userId}`,
        { role: 'council_member' },
        { cookie: admin.cookie },
      );
      assert.equal(demote.statusCode, 409, 'nor stop being one');
      await close();
    });

    test('the audit log is append-only in the database', async () => {
      await signIn(app, { email: 'ghi@x.vn', role: 'council_member' });
      await assert.rejects(
        sql`update platform.audit_log set action = 'x'`.execute(app.database.db),
        /append-only/,
      );
      await assert.rejects(sql`delete from platform.audit_log`.execute(app.database.db), /append-only/);
      assert.ok((await count(app, 'platform.audit_log')) > 0);
      await close();
    });

    test('API tokens: shown once, act in their owner’s scope, revocable', async () => {
      const officer = await signIn(app, {
        email: 'may@anxuyen.vn',
        role: 'commune_officer',
        scopeCode: '32002',
      });
      const created = await json(
        app,
        'POST',
        '/api/v1/tokens',
        { name: 'máy quét' },
        { cookie: officer.cookie },
      );
      assert.equal(created.statusCode, 201);
      const { token, id } = created.json();
      assert.match(token, /^ocop_[A-Za-z0-9_-]{43}$/);
      assert.equal(
        await count(app, 'identity.api_token', `token_hash = encode(sha256('${token}'::bytea), 'hex')`),
        1,
        'stored hashed',
      );
      const bearer = { authorization: `Bearer ${token}` };
      const me = await json(app, 'GET', '/api/v1/auth/me', undefined, bearer);
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().email, 'may@anxuyen.vn');
      assert.equal(
        (await json(app, 'GET', '/api/v1/audit', undefined, bearer)).statusCode,
        403,
        'the token has its owner’s rights only',
      );
      const listed = await json(app, 'GET', '/api/v1/tokens', undefined, { cookie: officer.cookie });
      assert.ok(listed.json().items[0].lastUsedAt);
      assert.equal(listed.json().items[0].token, undefined);
      assert.equal(
        (await json(app, 'DELETE', `/api/v1/tokens/${id}`, undefined, { cookie: officer.cookie })).statusCode,
        200,
      );
      const revoked = await json(app, 'GET', '/api/v1/auth/me', undefined, bearer);
      assert.equal(revoked.statusCode, 401);
      assert.equal(revoked.json().code, 'invalid_token');
      assert.equal(
        (await json(app, 'GET', '/api/v1/auth/me', undefined, { authorization: 'Bearer nonsense' }))
          .statusCode,
        401,
      );
      await close();
    });

    test('producer sign-up: pending until an officer of its commune approves and links it', async () => {
      const signup = await json(app, 'POST', '/api/v1/registrations', {
        name: 'Nguyễn Văn A',
        email: 'htx@tomkho.vn',
        password: 'mat-khau-htx-2026',
        producerName: 'HTX Tôm khô Rạch Gốc',
        communeCode: '32002',
      });
      assert.equal(signup.statusCode, 201, signup.body);
      const userId = signup.json().userId;
      assert.equal(signup.json().provinceCode, '96');
      assert.equal(
        (
          await json(app, 'POST', '/api/v1/auth/login', {
            email: 'htx@tomkho.vn',
            password: 'mat-khau-htx-2026',
          })
        ).statusCode,
        401,
      );

      const other = await signIn(app, { email: 'xa@khac.vn', role: 'commune_officer', scopeCode: '31825' });
      assert.equal(
        (await json(app, 'GET', '/api/v1/registrations', undefined, { cookie: other.cookie })).json().items
          .length,
        0,
      );
      const notMine = await json(
        app,
        'POST',
        `/api/v1/registrations/${userId}/decision`,
        { decision: 'rejected' },
        { cookie: other.cookie },
      );
      assert.equal(notMine.statusCode, 404);

      const officer = await signIn(app, {
        email: 'xa@anxuyen.vn',
        role: 'commune_officer',
        scopeCode: '32002',
      });
      const pending = await json(app, 'GET', '/api/v1/registrations', undefined, { cookie: officer.cookie });
      assert.deepEqual(
        pending.json().items.map((r: { producerName: string }) => r.producerName),
        ['HTX Tôm khô Rạch Gốc'],
      );
      const unknown = await json(
        app,
        'POST',
        `/api/v1/registrations/${userId}/decision`,
        { decision: 'approved', producerId: '0190a5f2-1111-7000-8000-000000000042' },
        { cookie: officer.cookie },
      );
      assert.equal(unknown.statusCode, 400, 'a producer that does not exist');
      assert.equal(unknown.json().errors[0].name, 'producerId');
      const producerId = (await createProducer(app, { legalName: 'HTX Tôm khô Rạch Gốc' })).id;
      const approved = await json(
        app,
        'POST',
        `/api/v1/registrations/${userId}/decision`,
        { decision: 'approved', producerId },
        { cookie: officer.cookie },
      );
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().status, 'active');
      assert.equal(approved.json().producerId, producerId);
      const again = await json(
        app,
        'POST',
        `/api/v1/registrations/${userId}/decision`,
        { decision: 'rejected' },
        { cookie: officer.cookie },
      );
      assert.equal(again.statusCode, 409);
      assert.equal(
        (
          await json(app, 'POST', '/api/v1/auth/login', {
            email: 'htx@tomkho.vn',
            password: 'mat-khau-htx-2026',
          })
        ).statusCode,
        200,
      );
      const badCommune = await json(app, 'POST', '/api/v1/registrations', {
        name: 'B',
        email: 'b@x.vn',
        password: 'mat-khau-htx-2026',
        producerName: 'B',
        communeCode: '99999',
      });
      assert.equal(badCommune.statusCode, 422);
      await close();
    });

    test('public writes are limited per address: the 12th sign-up in an hour waits (429)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await app.server.inject({
          method: 'POST',
          url: '/api/v1/registrations',
          remoteAddress: '127.0.0.50',
          payload: {
            name: 'A',
            email: `dk${i}@x.vn`,
            password: 'mat-khau-dai-du',
            producerName: 'HTX',
            communeCode: '32002',
          },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) assert.ok(Number(res.headers['retry-after']) >= 1);
      }
      assert.deepEqual(statuses, [...Array(11).fill(201), 429]);
      const elsewhere = await app.server.inject({
        method: 'POST',
        url: '/api/v1/registrations',
        remoteAddress: '127.0.0.51',
        payload: {
          name: 'A',
          email: 'khac@x.vn',
          password: 'mat-khau-dai-du',
          producerName: 'HTX',
          communeCode: '32002',
        },
      });
      assert.equal(elsewhere.statusCode, 201, 'another address is not affected');
      await close();
    });

    test('password reset by one-time link through the outbox', async () => {
      const user = await signIn(app, { email: 'quen@x.vn', role: 'council_member' });
      const page = await app.server.inject({ url: '/password-reset', headers: { accept: 'text/html' } });
      const csrfCookie = cookieOf(page, 'ocop_csrf')!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const ask = (email: string) =>
        app.server.inject({
          method: 'POST',
          url: '/password-reset',
          headers: {
            cookie: csrfCookie,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'text/html',
          },
          payload: new URLSearchParams({ _csrf: csrf, email }).toString(),
        });
      const known = await ask('quen@x.vn');
      const unknown = await ask('khong-co@x.vn');
      assert.equal(known.statusCode, 200);
      assert.equal(unknown.statusCode, 200);
      assert.equal(
        known.body.replace(/name="_csrf" value="[^"]+"/g, ''),
        unknown.body.replace(/name="_csrf" value="[^"]+"/g, ''),
        'no user enumeration',
      );
      const mail = await sql<{
        to_address: string;
        body_text: string;
      }>`select to_address, body_text from platform.outbox`.execute(app.database.db);
      assert.equal(mail.rows.length, 1);
      assert.equal(mail.rows[0]!.to_address, 'quen@x.vn');
      const link = /http:\/\/localhost:3000(\/password-reset\/[A-Za-z0-9_-]+)/.exec(
        mail.rows[0]!.body_text,
      )![1]!;
      assert.equal(
        (await app.server.inject({ url: link, headers: { accept: 'text/html' } })).statusCode,
        200,
      );
      const set = (newPassword: string) =>
        app.server.inject({
          method: 'POST',
          url: link,
          headers: {
            cookie: csrfCookie,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'text/html',
          },
          payload: new URLSearchParams({ _csrf: csrf, newPassword }).toString(),
        });
      assert.equal((await set('ngan')).statusCode, 422);
      assert.equal((await set('mat-khau-sau-reset')).statusCode, 200);
      assert.equal((await set('mat-khau-lan-hai')).statusCode, 422, 'the link works once');
      assert.equal(
        (await json(app, 'GET', '/api/v1/auth/me', undefined, { cookie: user.cookie })).statusCode,
        401,
      );
      assert.equal(
        (
          await json(app, 'POST', '/api/v1/auth/login', {
            email: 'quen@x.vn',
            password: 'mat-khau-sau-reset',
          })
        ).statusCode,
        200,
      );
      // administrators read the outbox
      const admin = await signIn(app, { email: 'qt@x.vn', role: 'admin' });
      const outbox = await json(app, 'GET', '/api/v1/outbox', undefined, { cookie: admin.cookie });
      assert.equal(outbox.json().items.length, 1);
      await close();
    });
  });
}
