/**
 * EPCIS query subscriptions on both engines: a webhook (a real local HTTP server) receives a named
 * query's new events as a signed EPCISQueryDocument — streamed once they settle, or on a schedule
 * (reporting even when empty if asked) — each event once; a webhook that fails is retried later;
 * a subscription needs a stream or a schedule; the schedule rule itself, table-tested.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { SYSTEM } from '../../../tests/support/dossiers.ts';
import { fieldMatches, SETTLE_MS, scheduleMatches } from './subscriptions.service.ts';

after(dropOwnTemplates);

const CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';

test('schedule fields: numbers, ranges, lists, any', () => {
  assert.equal(fieldMatches(undefined, 5, [0, 59]), true);
  assert.equal(fieldMatches('*', 5, [0, 59]), true);
  assert.equal(fieldMatches('5', 5, [0, 59]), true);
  assert.equal(fieldMatches('6', 5, [0, 59]), false);
  assert.equal(fieldMatches('1-10', 5, [0, 59]), true);
  assert.equal(fieldMatches('[1-4],7', 5, [0, 59]), false);
  assert.equal(fieldMatches('[1-4],5', 5, [0, 59]), true);
  assert.equal(fieldMatches('x', 5, [0, 59]), false);
  const at = new Date('2026-12-07T01:05:00Z'); // a Monday
  assert.equal(scheduleMatches({ hour: '1', minute: '5' }, at), true);
  assert.equal(scheduleMatches({ hour: '1', minute: '6' }, at), false);
  assert.equal(scheduleMatches({ dayOfWeek: '1' }, at), true);
  assert.equal(scheduleMatches({ dayOfWeek: '7' }, at), false);
});

for (const engine of testEngines()) {
  describe(`EPCIS subscriptions (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let hook: http.Server;
    let hookUrl: string;
    const received: { body: string; signature: string | undefined }[] = [];

    const call = (method: string, url: string, payload?: unknown) =>
      app.server.inject({
        method: method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${admin}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
        ...(payload ? { payload: JSON.stringify(payload) } : {}),
      });
    const capture = async (bizStep: string, serials: number[]) => {
      const answer = await call('POST', '/epcis/capture', {
        '@context': [CONTEXT],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: '2026-12-01T00:00:00Z',
        epcisBody: {
          eventList: serials.map((n) => ({
            type: 'ObjectEvent',
            eventTime: '2026-12-01T08:00:00+07:00',
            eventTimeZoneOffset: '+07:00',
            action: 'OBSERVE',
            bizStep,
            epcList: [`urn:epc:id:sgtin:0614141.107346.${n}`],
          })),
        },
      });
      assert.equal(answer.statusCode, 202, answer.body);
    };
    const later = () => new Date(Date.now() + SETTLE_MS + 1000);

    before(async () => {
      app = await startTestApp(engine);
      await app.identity.createUser(SYSTEM, null, {
        email: 'sub-admin@ocop.vn',
        name: 'Sub',
        role: 'admin',
        scopeCode: null,
        password: 'mat-khau-dai-du',
      });
      admin = (await app.identity.createTokenFor(SYSTEM, 'sub-admin@ocop.vn', 'epcis')).token;
      hook = http.createServer((request, response) => {
        let body = '';
        request.on('data', (c) => {
          body += c;
        });
        request.on('end', () => {
          received.push({ body, signature: request.headers['gs1-signature'] as string | undefined });
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
      hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/epcis-hook`;
      assert.equal(
        (
          await call('POST', '/epcis/queries', {
            name: `giao-${engine}`,
            query: { EQ_bizStep: ['shipping'] },
          })
        ).statusCode,
        201,
      );
    });
    after(async () => {
      hook?.close();
      await app?.close();
    });

    test('stream: each new matching event once, signed with the subscriber’s token', async () => {
      const subscribed = await call('POST', `/epcis/queries/giao-${engine}/subscriptions`, {
        dest: hookUrl,
        signatureToken: 'bi-mat-cua-khach',
        stream: true,
      });
      assert.equal(subscribed.statusCode, 201, subscribed.body);
      assert.match(String(subscribed.headers.location), /\/subscriptions\/[0-9a-f-]{36}$/);
      await capture('shipping', [1, 2, 3]);
      await capture('receiving', [4]);
      received.length = 0;
      // not yet settled: nothing
      assert.deepEqual(await app.traceability.subscriptions.tick(new Date()), { queued: 0, delivered: 0 });
      assert.deepEqual(await app.traceability.subscriptions.tick(later()), { queued: 1, delivered: 1 });
      assert.equal(received.length, 1);
      const { body, signature } = received[0]!;
      assert.equal(
        signature,
        `sha256=${createHmac('sha256', 'bi-mat-cua-khach').update(body).digest('hex')}`,
      );
      const doc = JSON.parse(body);
      assert.equal(doc.type, 'EPCISQueryDocument');
      assert.equal(doc.epcisBody.queryResults.queryName, `giao-${engine}`);
      assert.equal(doc.epcisBody.queryResults.resultsBody.eventList.length, 3, 'only shipping');
      // nothing twice
      assert.deepEqual(await app.traceability.subscriptions.tick(later()), { queued: 0, delivered: 0 });
      await capture('shipping', [5]);
      await app.traceability.subscriptions.tick(later());
      assert.equal(JSON.parse(received.at(-1)!.body).epcisBody.queryResults.resultsBody.eventList.length, 1);
    });

    test('schedule: runs in its minute once, reports empty results when asked', async () => {
      const now = new Date();
      const subscribed = await call('POST', `/epcis/queries/giao-${engine}/subscriptions`, {
        dest: hookUrl,
        reportIfEmpty: true,
        schedule: { minute: String(now.getUTCMinutes()), hour: String(now.getUTCHours()) },
      });
      assert.equal(subscribed.statusCode, 201, subscribed.body);
      received.length = 0;
      await app.traceability.subscriptions.tick(now);
      const empties = received.filter(
        (r) => JSON.parse(r.body).epcisBody.queryResults.resultsBody.eventList.length === 0,
      );
      assert.equal(empties.length, 1, 'an empty report in its minute');
      assert.equal(empties[0]!.signature, undefined, 'no token, no signature');
      await app.traceability.subscriptions.tick(now);
      assert.equal(
        received.filter((r) => JSON.parse(r.body).subscriptionID === subscribed.json().subscriptionID).length,
        1,
      );
      assert.equal((await call('DELETE', String(subscribed.headers.location))).statusCode, 204);
      assert.equal((await call('GET', String(subscribed.headers.location))).statusCode, 404);
    });

    test('a webhook that fails is retried later; a subscription needs a stream or a schedule', async () => {
      const dead = await call('POST', `/epcis/queries/giao-${engine}/subscriptions`, {
        dest: 'http://127.0.0.1:9/nothing-listens',
        stream: true,
      });
      assert.equal(dead.statusCode, 201);
      await capture('shipping', [6]);
      await app.traceability.subscriptions.tick(later());
      const rows = await sql<{ attempts: number; delivered: boolean; error: string | null }>`
        select attempts, delivered_at is not null as delivered, last_error as error from traceability.delivery
        where subscription_id = ${dead.json().subscriptionID}`.execute(app.database.db);
      assert.equal(rows.rows.length, 1);
      assert.equal(rows.rows[0]!.delivered, false);
      assert.equal(rows.rows[0]!.attempts, 1);
      assert.ok(rows.rows[0]!.error);
      for (const body of [
        { dest: hookUrl },
        { dest: hookUrl, stream: true, schedule: { minute: '1' } },
        { dest: 'ftp://example.com', stream: true },
        { dest: hookUrl, schedule: { minute: '61' } },
      ]) {
        const answer = await call('POST', `/epcis/queries/giao-${engine}/subscriptions`, body);
        assert.equal(answer.statusCode, 400, JSON.stringify(body));
        assert.equal(answer.json().type, 'epcisException:SubscriptionControlsException');
      }
      assert.equal(
        (await call('POST', '/epcis/queries/none/subscriptions', { dest: hookUrl, stream: true })).statusCode,
        404,
      );
    });
  });
}
