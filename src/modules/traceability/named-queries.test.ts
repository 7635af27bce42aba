/**
 * EPCIS named queries on both engines: saved under a name (checked like a query, unique on the
 * server), read, run with paging and the caller's rights, deleted; someone else's is not found.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { SYSTEM } from '../../../tests/support/dossiers.ts';

after(dropOwnTemplates);

const CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';

for (const engine of testEngines()) {
  describe(`EPCIS named queries (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let office: string;

    const token = async (email: string, role: string, scopeCode: string | null) => {
      await app.identity.createUser(SYSTEM, null, {
        email,
        name: email,
        role: role as never,
        scopeCode,
        password: 'mat-khau-dai-du',
      });
      return (await app.identity.createTokenFor(SYSTEM, email, 'epcis')).token;
    };
    const call = (method: string, url: string, bearer: string, payload?: unknown) =>
      app.server.inject({
        method: method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
        ...(payload ? { payload: JSON.stringify(payload) } : {}),
      });

    before(async () => {
      app = await startTestApp(engine);
      admin = await token('nq-admin@ocop.vn', 'admin', null);
      office = await token('nq-office@ocop.vn', 'province_office', '96');
      const events = Array.from({ length: 5 }, (_v, i) => ({
        type: 'ObjectEvent',
        eventTime: `2026-11-0${i + 1}T08:00:00+07:00`,
        eventTimeZoneOffset: '+07:00',
        action: 'OBSERVE',
        bizStep: i < 3 ? 'shipping' : 'receiving',
        epcList: [`urn:epc:id:sgtin:0614141.107346.${100 + i}`],
      }));
      const captured = await call('POST', '/epcis/capture', admin, {
        '@context': [CONTEXT],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: '2026-11-10T00:00:00Z',
        epcisBody: { eventList: events },
      });
      assert.equal(captured.statusCode, 202, captured.body);
    });
    after(() => app?.close());

    test('save, read, run with paging, delete', async () => {
      const saved = await call('POST', '/epcis/queries', admin, {
        name: 'giao-hang',
        query: { eventType: ['ObjectEvent'], EQ_bizStep: ['shipping'] },
      });
      assert.equal(saved.statusCode, 201, saved.body);
      assert.equal(saved.headers.location, '/epcis/queries/giao-hang');
      const again = await call('POST', '/epcis/queries', admin, { name: 'giao-hang', query: {} });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().type, 'epcisException:ResourceAlreadyExistsException');
      assert.deepEqual((await call('GET', '/epcis/queries/giao-hang', admin)).json(), {
        name: 'giao-hang',
        query: { eventType: ['ObjectEvent'], EQ_bizStep: ['shipping'] },
      });
      assert.deepEqual(
        (await call('GET', '/epcis/queries', admin)).json().map((x: { name: string }) => x.name),
        ['giao-hang'],
      );
      const first = await call('GET', '/epcis/queries/giao-hang/events?perPage=2', admin);
      assert.equal(first.statusCode, 200, first.body);
      const body = first.json();
      assert.equal(body.epcisBody.queryResults.queryName, 'giao-hang');
      assert.equal(body.epcisBody.queryResults.resultsBody.eventList.length, 2);
      const next = /<([^>]+)>;\s*rel="next"/.exec(String(first.headers.link))?.[1];
      assert.ok(next, 'a next page');
      const second = await call('GET', next!, admin);
      assert.equal(second.json().epcisBody.queryResults.resultsBody.eventList.length, 1);
      assert.equal(second.headers.link, undefined);
      // someone else's query is not there for them; the caller's rights apply when it runs
      assert.equal((await call('GET', '/epcis/queries/giao-hang', office)).statusCode, 404);
      assert.equal((await call('DELETE', '/epcis/queries/giao-hang', office)).statusCode, 404);
      assert.equal((await call('DELETE', '/epcis/queries/giao-hang', admin)).statusCode, 204);
      assert.equal((await call('GET', '/epcis/queries/giao-hang/events', admin)).statusCode, 404);
    });

    test('a query that would not run is not saved; only paging goes with a run', async () => {
      for (const bad of [
        { name: 'x', query: { EQ_action: ['CREATE'] } },
        { name: 'x', query: { NOT_A_PARAMETER: ['1'] } },
        { name: 'bad name!', query: {} },
        { name: 'x', query: [] },
      ]) {
        const answer = await call('POST', '/epcis/queries', office, bad);
        assert.equal(answer.statusCode, 400, JSON.stringify(bad));
        assert.match(answer.json().type, /^epcisException:(QueryParameter|Validation)Exception$/);
      }
      assert.equal(
        (
          await call('POST', '/epcis/queries', office, {
            name: 'nhan-hang',
            query: { EQ_bizStep: 'receiving' },
          })
        ).statusCode,
        201,
      );
      const run = await call('GET', '/epcis/queries/nhan-hang/events?EQ_bizStep=shipping', office);
      assert.equal(run.statusCode, 400);
      // the office's rights: events of the province only (these are the platform's own)
      const mine = await call('GET', '/epcis/queries/nhan-hang/events', office);
      assert.equal(mine.json().epcisBody.queryResults.resultsBody.eventList.length, 0);
    });
  });
}
