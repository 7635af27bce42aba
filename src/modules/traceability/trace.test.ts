/**
 * From farm to shopper over HTTP, on both engines: places and partners, a batch and its journey
 * through the API (each step an EPCIS event), the GS1 Digital Link resolver (redirects, link types,
 * linksets, strict syntax, unknown keys), the trace page (ETag that follows new events, recall
 * banner), QR codes and label sheets, serials, scans and the suspicious-serial check, the national
 * portal's export, shoppers' reports, the resolver's entered links and the GS1 Resolver CE cases.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import sharp from 'sharp';
import { createProducer, startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { ADMIN, SYSTEM } from '../../../tests/support/dossiers.ts';
import { withGs1CheckDigit } from '../../platform/gs1/check-digit.ts';
import { REVOCATION_GROUNDS } from '../certification/index.ts';

after(dropOwnTemplates);

const GTIN_A = `0${withGs1CheckDigit('893850000101')}`;
const GTIN_B = `0${withGs1CheckDigit('893850000202')}`;
const GTIN_SALT = `0${withGs1CheckDigit('893850000103')}`;
const FIXTURES = path.resolve('tests/fixtures/gs1-digital-link');
type Json = Record<string, unknown>;

for (const engine of testEngines()) {
  describe(`farm to shopper (${engine})`, () => {
    let app: TestApp;
    const clock = new Date('2026-05-25T03:00:00.000Z');
    const token = { admin: '', a: '', b: '' };
    const producer = { a: '', b: '' };
    const product = { a: '', b: '', salt: '' };
    const place = { pond: '', facility: '', warehouse: '' };
    let pos = '';
    let batchId = '';
    let saltBatchId = '';

    async function tokenFor(email: string, role: string, producerId: string | null) {
      await app.identity.createUser(SYSTEM, null, {
        email,
        name: email,
        role: role as never,
        scopeCode: null,
        producerId,
        password: 'mat-khau-thu-nghiem',
      });
      return (await app.identity.createTokenFor(SYSTEM, email, 'trace')).token;
    }
    const call = (
      method: 'GET' | 'POST',
      url: string,
      t: string | null,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      app.server.inject({
        method,
        url,
        headers: {
          ...(t ? { authorization: `Bearer ${t}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
    async function counts() {
      const { rows } = await sql<Record<string, string>>`
        select (select count(*) from traceability.batch) as batches,
               (select count(*) from traceability.event) as events,
               (select count(*) from traceability.serial_range) as ranges`.execute(app.database.db);
      return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
    }

    before(async () => {
      app = await startTestApp(engine, { now: () => new Date(clock) });
      producer.a = (await createProducer(app, { legalName: 'HTX Tôm khô Tân Ân' })).id;
      producer.b = (await createProducer(app, { legalName: 'HTX Cua Năm Căn' })).id;
      const create = async (producerId: string, name: string, gtin: string) =>
        (
          await app.products.products.create(SYSTEM, ADMIN, {
            producerId,
            name,
            productSet: 8,
            gtins: [gtin],
          })
        ).id;
      product.a = await create(producer.a, 'Tôm khô Tân Ân', GTIN_A);
      product.salt = await create(producer.a, 'Muối hạt Tân Ân', GTIN_SALT);
      product.b = await create(producer.b, 'Cua gạch Năm Căn', GTIN_B);
      await app.certification.certificates.create(SYSTEM, ADMIN, {
        productId: product.a,
        level: 'province',
        stars: 4,
        decisionNumber: '96/QĐ-UBND',
        decisionDate: '2026-01-10',
        decisionSigner: 'Chủ tịch UBND tỉnh Cà Mau',
      });
      token.admin = await tokenFor('admin@trace.vn', 'admin', null);
      token.a = await tokenFor('a@trace.vn', 'producer', producer.a);
      token.b = await tokenFor('b@trace.vn', 'producer', producer.b);
    });
    after(() => app?.close());

    test('places and partners: a pond with coordinates, a facility, a point of sale; bad ones refused', async () => {
      const add = (body: Json) => call('POST', `/api/v1/producers/${producer.a}/locations`, token.a, body);
      const pond = await add({
        name: 'Ao tôm số 3',
        kind: 'raw_material_area',
        communeCode: '32002',
        latitude: 8.95,
        longitude: 105.1,
        certifications: 'VietGAP 2025',
      });
      assert.equal(pond.statusCode, 201, pond.body);
      assert.match(pond.json().identifier, /^http:\/\/.+\/id\/location\/[0-9a-f-]{36}$/);
      place.pond = pond.json().id;
      place.facility = (
        await add({ name: 'Xưởng chế biến', kind: 'processing_facility', communeCode: '32002' })
      ).json().id;
      place.warehouse = (await add({ name: 'Kho', kind: 'warehouse' })).json().id;
      const partner = await call('POST', `/api/v1/producers/${producer.a}/partners`, token.a, {
        name: 'Điểm bán OCOP Cà Mau',
        kind: 'ocop_point_of_sale',
        identifier: `https://id.gs1.org/414/${withGs1CheckDigit('893850000999').slice(0, 12)}${(Number(withGs1CheckDigit('893850000999').slice(12)) + 1) % 10}`,
      });
      // a GLN with a wrong check digit is refused: minted instead when none given
      assert.equal(partner.statusCode, 400, partner.body);
      const minted = await call('POST', `/api/v1/producers/${producer.a}/partners`, token.a, {
        name: 'Điểm bán OCOP Cà Mau',
        kind: 'ocop_point_of_sale',
        communeCode: '32002',
      });
      assert.equal(minted.statusCode, 201, minted.body);
      pos = minted.json().id;
      // out of Vietnam, a commune that does not exist, another producer's list
      assert.equal((await add({ name: 'X', latitude: 48.8, longitude: 2.3 })).statusCode, 400);
      assert.equal((await add({ name: 'X', communeCode: '99999' })).statusCode, 400);
      assert.equal(
        (await call('POST', `/api/v1/producers/${producer.b}/locations`, token.a, { name: 'X' })).statusCode,
        404,
      );
    });

    test('a batch: created for the producer’s own product; bad input refused with nothing stored', async () => {
      const before = await counts();
      const bad = async (body: Json, field: string, t = token.a) => {
        const r = await call('POST', '/api/v1/batches', t, body);
        assert.equal(r.statusCode, 400, r.body);
        assert.ok(
          (r.json().errors as { name: string }[]).some((e) => e.name === field),
          `${field} in ${r.body}`,
        );
      };
      const good = {
        productId: product.a,
        lot: 'TK2605-01',
        productionDate: '2026-05-19',
        expiryDate: '2027-05-19',
        quantity: 120,
        unit: 'hộp',
        rawMaterialLocationId: place.pond,
      };
      await bad({ ...good, productId: product.b }, 'productId');
      await bad({ ...good, expiryDate: '2026-05-01' }, 'expiryDate');
      await bad({ ...good, lot: 'TK 01' }, 'lot');
      await bad({ ...good, productionDate: '2026-06-30' }, 'productionDate');
      await bad({ ...good, unit: 'thùng' }, 'unit');
      assert.deepEqual(await counts(), before);
      const salt = await call('POST', '/api/v1/batches', token.a, {
        productId: product.salt,
        lot: 'M2604',
        productionDate: '2026-04-20',
        quantity: 50,
        unit: 'kg',
      });
      assert.equal(salt.statusCode, 201, salt.body);
      saltBatchId = salt.json().id;
      const created = await call('POST', '/api/v1/batches', token.a, {
        ...good,
        inputBatchIds: [saltBatchId],
      });
      assert.equal(created.statusCode, 201, created.body);
      batchId = created.json().id;
      assert.equal(created.json().gtin, GTIN_A);
      const again = await call('POST', '/api/v1/batches', token.a, good);
      assert.equal(again.statusCode, 409, again.body);
      assert.equal((await call('GET', `/api/v1/batches/${batchId}`, token.b)).statusCode, 404);
    });

    test('the journey by API: each step one EPCIS event; a shipping before the harvest is refused', async () => {
      const step = (body: Json) => call('POST', `/api/v1/batches/${batchId}/steps`, token.a, body);
      const harvest = await step({
        step: 'harvest',
        eventTime: '2026-05-18T05:30',
        placeId: place.pond,
        quantity: 38,
        unit: 'kg',
      });
      assert.equal(harvest.statusCode, 201, harvest.body);
      const before = await counts();
      const early = await step({
        step: 'shipping',
        eventTime: '2026-05-17T08:00',
        placeId: place.warehouse,
        partnerId: pos,
      });
      assert.equal(early.statusCode, 400, early.body);
      assert.equal((early.json().errors as { rule: string }[])[0]!.rule, 'notBeforeProduction');
      const beforeHarvest = await step({
        step: 'processing',
        eventTime: '2026-05-18T05:00',
        placeId: place.facility,
      });
      assert.equal(beforeHarvest.statusCode, 400, beforeHarvest.body);
      assert.deepEqual(await counts(), before);
      for (const body of [
        {
          step: 'processing',
          eventTime: '2026-05-19T07:00',
          placeId: place.facility,
          quantity: 30,
          unit: 'kg',
          note: 'Luộc, phơi nắng 2 ngày',
        },
        {
          step: 'packing',
          eventTime: '2026-05-21T09:15',
          placeId: place.facility,
          quantity: 120,
          unit: 'hộp',
        },
        {
          step: 'shipping',
          eventTime: '2026-05-22T07:45',
          placeId: place.warehouse,
          partnerId: pos,
          quantity: 60,
          unit: 'hộp',
          document: 'PX-0522',
        },
        {
          step: 'receiving',
          eventTime: '2026-05-22T15:00',
          placeId: pos,
          partnerId: place.warehouse,
          quantity: 60,
          unit: 'hộp',
        },
        { step: 'sale', eventTime: '2026-05-24T10:00', placeId: pos, quantity: 2, unit: 'hộp' },
      ]) {
        const r = await step(body);
        assert.equal(r.statusCode, 201, `${body.step}: ${r.body}`);
      }
      // a place of another producer, and another producer's batch
      assert.equal(
        (
          await step({
            step: 'packing',
            eventTime: '2026-05-21T09:15',
            placeId: '00000000-0000-4000-8000-000000000000',
          })
        ).statusCode,
        400,
      );
      assert.equal(
        (
          await call('POST', `/api/v1/batches/${batchId}/steps`, token.b, {
            step: 'sale',
            eventTime: '2026-05-24T10:00',
            placeId: pos,
          })
        ).statusCode,
        404,
      );
      // the events are in the EPCIS repository, by the lot's class
      const lot = `https://id.gs1.org/01/${GTIN_A}/10/TK2605-01`;
      const events = await call(
        'GET',
        `/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(lot)}&orderBy=eventTime&orderDirection=ASC`,
        token.a,
      );
      assert.equal(events.statusCode, 200, events.body);
      const list = (events.json().epcisBody.queryResults.resultsBody.eventList as Json[]).map((e) => [
        e.type,
        e.bizStep,
      ]);
      assert.deepEqual(list, [
        ['ObjectEvent', 'commissioning'],
        ['TransformationEvent', 'commissioning'],
        ['ObjectEvent', 'packing'],
        ['ObjectEvent', 'shipping'],
        ['ObjectEvent', 'receiving'],
        ['ObjectEvent', 'retail_selling'],
      ]);
    });

    test('the resolver: 307 to the trace page, link types, linkset, strict syntax, unknown keys', async () => {
      const r = await call('GET', `/01/${GTIN_A}/10/TK2605-01`, null);
      assert.equal(r.statusCode, 307, r.body);
      assert.equal(new URL(r.headers.location as string).pathname, `/trace/01/${GTIN_A}/10/TK2605-01`);
      assert.match(String(r.headers.link), /rel="linkset"/);
      const pip = await call('GET', `/01/${GTIN_A}/10/TK2605-01?linkType=gs1:pip`, null);
      assert.equal(new URL(pip.headers.location as string).pathname, `/products/${product.a}`);
      const cert = await call(
        'GET',
        `/01/${GTIN_A}/10/TK2605-01?linkType=https://gs1.org/voc/certificationInfo`,
        null,
      );
      assert.equal(cert.statusCode, 307, cert.body);
      // the query string goes on to the target (GS1 resolver standard)
      assert.match(new URL(String(cert.headers.location)).pathname, /^\/verify\/[0-9a-f-]{36}$/);
      assert.equal((await call('GET', `/01/${GTIN_A}?linkType=gs1:recipeInfo`, null)).statusCode, 404);
      assert.equal(
        new URL((await call('GET', `/01/${GTIN_A}`, null)).headers.location as string).pathname,
        `/products/${product.a}`,
      );
      // with data attributes
      assert.equal((await call('GET', `/01/${GTIN_A}/10/TK2605-01?17=270519`, null)).statusCode, 307);
      const linksetAsks: { url: string; headers: Record<string, string> }[] = [
        { url: `/01/${GTIN_A}/10/TK2605-01?linkType=all`, headers: {} },
        { url: `/01/${GTIN_A}/10/TK2605-01`, headers: { accept: 'application/linkset+json' } },
      ];
      for (const accept of linksetAsks) {
        const ls = await call('GET', accept.url, null, undefined, accept.headers);
        assert.equal(ls.statusCode, 200, ls.body);
        const linkset = ls.json().linkset as Json[];
        assert.ok(
          linkset.some((c) => Object.keys(c).some((k) => k.endsWith('/traceability'))),
          ls.body,
        );
      }
      // malformed: 400 with the reason; too long: 414; unknown: 404
      const malformed = [
        `/01/${GTIN_A.slice(0, 13)}9/10/TK2605-01`, // check digit
        `/01/${GTIN_A.slice(1)}/10/TK2605-01`, // 13 digits
        `/01/${GTIN_A}/21/S1/10/TK2605-01`, // qualifiers out of order
        `/01/${GTIN_A}/10/TK2605-01?10=X`, // a key qualifier in the query
        `/01/${GTIN_A}/10/TK2605-01?89=1`, // an unknown AI
        `/01/${GTIN_A}/10/TK2605-01?17=271340`, // not a date
      ];
      for (const url of malformed) {
        const bad = await call('GET', url, null);
        assert.equal(bad.statusCode, 400, `${url}: ${bad.body}`);
        assert.match(String(bad.headers['content-type']), /problem\+json/);
        assert.ok((bad.json().detail as string).length > 10, bad.body);
      }
      assert.equal((await call('GET', `/01/${GTIN_A}/10/${'A'.repeat(10_000)}`, null)).statusCode, 414);
      assert.equal((await call('GET', `/01/${GTIN_A}/10/NOPE`, null)).statusCode, 404);
      assert.equal((await call('GET', `/01/${withGs1CheckDigit('0893850000999')}`, null)).statusCode, 404);
      // a phone's browser gets the same answers as pages, in words
      const page400 = await call('GET', malformed[0]!, null, undefined, {
        accept: 'text/html',
        'accept-language': 'vi',
      });
      assert.equal(page400.statusCode, 400);
      assert.match(page400.body, /không đúng chuẩn GS1 Digital Link/);
      const page404 = await call('GET', `/01/${GTIN_A}/10/NOPE`, null, undefined, { accept: 'text/html' });
      assert.equal(page404.statusCode, 404);
      assert.match(page404.body, /href="\/trace\/report\?uri=/);
      const wellKnown = await call('GET', '/.well-known/gs1resolver', null);
      assert.equal(wellKnown.statusCode, 200);
      assert.ok(wellKnown.json().resolverRoot);
    });

    test('the trace page: the journey, the certificate today, an ETag that changes with a new event', async () => {
      const url = `/trace/01/${GTIN_A}/10/TK2605-01`;
      const first = await call('GET', url, null, undefined, { 'accept-language': 'vi' });
      assert.equal(first.statusCode, 200, first.body);
      assert.ok(first.body.length < 30_000, `${first.body.length} bytes`);
      assert.ok(!first.body.includes('<script'));
      for (const text of [
        'Tôm khô Tân Ân',
        'OCOP 4 sao',
        'TK2605-01',
        'Ao tôm số 3',
        'VietGAP 2025',
        'Điểm bán OCOP Cà Mau',
        'M2604',
      ])
        assert.ok(first.body.includes(text), text);
      const etag = first.headers.etag as string;
      assert.ok(etag);
      assert.equal(
        (await call('GET', url, null, undefined, { 'if-none-match': etag, 'accept-language': 'vi' }))
          .statusCode,
        304,
      );
      // compressed once and kept: the same page in Brotli and gzip, each with its own ETag
      for (const [encoding, decode] of [
        ['br', brotliDecompressSync],
        ['gzip', gunzipSync],
      ] as const) {
        const packed = await call('GET', url, null, undefined, {
          'accept-language': 'vi',
          'accept-encoding': `${encoding}, deflate`,
        });
        assert.equal(packed.headers['content-encoding'], encoding);
        assert.equal(decode(packed.rawPayload).toString('utf8'), first.body);
        assert.notEqual(packed.headers.etag, etag);
        assert.match(String(packed.headers.vary), /Accept-Encoding/);
      }
      const english = await call('GET', url, null, undefined, { 'accept-language': 'en' });
      assert.match(english.body, /Harvest/i);
      // a new event of the lot: a new page
      const inspect = await call('POST', `/api/v1/batches/${batchId}/steps`, token.a, {
        step: 'inspection',
        eventTime: '2026-05-24T11:00',
        placeId: pos,
        conformant: true,
      });
      assert.equal(inspect.statusCode, 201, inspect.body);
      const second = await call('GET', url, null, undefined, {
        'if-none-match': etag,
        'accept-language': 'vi',
      });
      assert.equal(second.statusCode, 200);
      assert.notEqual(second.headers.etag, etag);
      // unknown lot: 404 page; a serial never issued: 404
      assert.equal((await call('GET', `/trace/01/${GTIN_A}/10/NOPE`, null)).statusCode, 404);
      assert.equal((await call('GET', `/trace/01/${GTIN_A}/10/TK2605-01/21/999`, null)).statusCode, 404);
    });

    test('serials and labels: bounded ranges; QR SVG/PNG; PDF sheets; the serial resolves', async () => {
      const issue = (count: number) =>
        call('POST', `/api/v1/batches/${batchId}/serials`, token.a, { prefix: 'TK', count });
      const before = await counts();
      assert.equal((await issue(1_000_000)).statusCode, 400);
      assert.equal((await issue(0)).statusCode, 400);
      assert.deepEqual(await counts(), before);
      const range = await issue(30);
      assert.equal(range.statusCode, 201, range.body);
      assert.deepEqual([range.json().first, range.json().last], [1, 30]);
      const next = await issue(5);
      assert.deepEqual([next.json().first, next.json().last], [31, 35]);
      const serial = `TK${'1'.padStart(range.json().width, '0')}`;
      const resolved = await call('GET', `/01/${GTIN_A}/10/TK2605-01/21/${serial}`, null);
      assert.equal(resolved.statusCode, 307, resolved.body);
      assert.equal(
        new URL(resolved.headers.location as string).pathname,
        `/trace/01/${GTIN_A}/10/TK2605-01/21/${serial}`,
      );
      // by serial alone, its lot is found
      assert.equal((await call('GET', `/01/${GTIN_A}/21/${serial}`, null)).statusCode, 307);
      assert.equal((await call('GET', `/01/${GTIN_A}/21/TK999999`, null)).statusCode, 404);
      const page = await call('GET', new URL(resolved.headers.location as string).pathname, null);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(serial));

      const svg = await call('GET', `/trace/batches/${batchId}/qr.svg`, token.a);
      assert.equal(svg.statusCode, 200);
      assert.match(svg.body, /<svg[^>]+viewBox/);
      // one item's code: a serial issued for the lot; another is refused
      const item = await call('GET', `/trace/batches/${batchId}/qr.svg?serial=${serial}`, token.a);
      assert.equal(item.statusCode, 200, item.body);
      assert.ok(item.body.includes(`/01/${GTIN_A}/10/TK2605-01/21/${serial}`));
      assert.equal(
        (await call('GET', `/trace/batches/${batchId}/qr.svg?serial=TK999999`, token.a)).statusCode,
        400,
      );
      const png = await call('GET', `/trace/batches/${batchId}/qr.png?size=300`, token.a);
      assert.equal(png.statusCode, 200);
      assert.equal((await sharp(png.rawPayload).metadata()).width, 300);
      const pdf = await call(
        'GET',
        `/trace/batches/${batchId}/labels.pdf?range=${range.json().id}&columns=3&rows=8`,
        token.a,
      );
      assert.equal(pdf.statusCode, 200, pdf.body.slice(0, 300));
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      assert.equal((pdf.body.match(/\/Type \/Page\b/g) ?? []).length, 2);
      assert.equal(
        (await call('GET', `/trace/batches/${batchId}/labels.pdf?columns=11`, token.a)).statusCode,
        400,
      );
      assert.equal((await call('GET', `/trace/batches/${batchId}/qr.svg`, token.b)).statusCode, 404);
      assert.equal((await call('GET', `/trace/batches/${batchId}/qr.svg`, null)).statusCode, 303);
    });

    test('scans: logged per resolution without addresses; a serial scanned from many networks is suspicious', async () => {
      const serial = 'TK000002';
      for (let i = 0; i < 6; i++)
        await app.server.inject({
          method: 'GET',
          url: `/01/${GTIN_A}/10/TK2605-01/21/${serial}`,
          remoteAddress: `203.113.${i}.7`,
          headers: { 'user-agent': 'Mozilla/5.0 (iPhone) Mobile' },
        });
      const dashboard = await call('GET', '/api/v1/scans?days=7', token.a);
      assert.equal(dashboard.statusCode, 200, dashboard.body);
      const body = dashboard.json() as {
        perDay: { gtin: string; scans: number }[];
        suspicious: { serial: string; networks: number }[];
      };
      assert.ok(body.perDay.some((r) => r.gtin === GTIN_A && r.scans >= 6));
      assert.deepEqual(
        body.suspicious.map((s) => [s.serial, s.networks]),
        [[serial, 6]],
      );
      // another producer sees none of it
      const other = (await call('GET', '/api/v1/scans', token.b)).json() as { perDay: unknown[] };
      assert.equal(other.perDay.length, 0);
      const { rows } = await sql<{
        network: string;
        client_class: string;
      }>`select network, client_class from traceability.scan where serial = ${serial}`.execute(
        app.database.db,
      );
      assert.ok(rows.every((r) => /^[0-9a-f]{16}$/.test(r.network) && r.client_class === 'phone'));
      assert.ok(!JSON.stringify(rows).includes('203.113'));
    });

    test('the national portal: the lot’s consumer record as JSON and CSV', async () => {
      const json = await call('GET', `/api/v1/batches/${batchId}/national-portal.json`, token.a);
      assert.equal(json.statusCode, 200, json.body);
      const record = (json.json().records as Json[])[0]!;
      assert.equal(record.productName, 'Tôm khô Tân Ân');
      assert.equal(record.producerName, 'HTX Tôm khô Tân Ân');
      assert.equal(record.productionDate, '2026-05-19');
      assert.equal(record.expiryDate, '2027-05-19');
      assert.equal(record.ocopStars, 4);
      assert.match(record.traceCode as string, new RegExp(`/01/${GTIN_A}/10/TK2605-01$`));
      const csv = await call('GET', `/api/v1/batches/${batchId}/national-portal.csv`, token.a);
      assert.equal(csv.statusCode, 200);
      assert.match(csv.body, /Tên sản phẩm/);
      assert.match(csv.body, /TK2605-01/);
    });

    test('a recall: the lot marked, the event recorded, the page’s banner; no more shipping', async () => {
      const recall = await call('POST', `/api/v1/batches/${batchId}/recall`, token.a, {
        reason: 'Phát hiện độ ẩm vượt mức',
      });
      assert.equal(recall.statusCode, 200, recall.body);
      const page = await call('GET', `/trace/01/${GTIN_A}/10/TK2605-01`, null, undefined, {
        'accept-language': 'vi',
      });
      assert.match(page.body, /thu hồi/i);
      assert.ok(page.body.includes('Phát hiện độ ẩm vượt mức'));
      assert.equal(
        (await call('POST', `/api/v1/batches/${batchId}/recall`, token.a, { reason: 'again' })).statusCode,
        409,
      );
      const ship = await call('POST', `/api/v1/batches/${batchId}/steps`, token.a, {
        step: 'shipping',
        eventTime: '2026-05-25T08:00',
        placeId: place.warehouse,
        partnerId: pos,
      });
      assert.equal(ship.statusCode, 409, ship.body);
    });

    test('a certificate revoked: the trace page and the resolver say so at once (no stale cache)', async () => {
      const url = `/trace/01/${GTIN_A}/10/TK2605-01`;
      assert.match(
        (await call('GET', url, null, undefined, { 'accept-language': 'vi' })).body,
        /trace-verdict-valid/,
      );
      const [certificate] = await app.certification.certificates.ofProducts([product.a]);
      await app.certification.certificates.revoke(SYSTEM, ADMIN, certificate!.id, {
        ground: REVOCATION_GROUNDS[0]!,
        decisionNumber: '120/QĐ-UBND',
        decisionDate: '2026-05-25',
        signer: 'Chủ tịch UBND tỉnh Cà Mau',
      });
      const page = await call('GET', url, null, undefined, { 'accept-language': 'vi' });
      assert.doesNotMatch(page.body, /trace-verdict-valid/);
      assert.match(page.body, /trace-verdict-revoked/);
      // the certificate link still leads to its page, which says REVOKED
      const link = await call('GET', `/01/${GTIN_A}/10/TK2605-01?linkType=gs1:certificationInfo`, null);
      assert.equal(link.statusCode, 307, link.body);
      const verdict = await call('GET', new URL(String(link.headers.location)).pathname, null, undefined, {
        'accept-language': 'vi',
      });
      assert.match(verdict.body, /verdict-revoked|thu hồi/i);
    });

    test('a shopper reports a problem; the producer sees it', async () => {
      const form = await app.server.inject({
        method: 'GET',
        url: `/trace/report?gtin=${GTIN_A}&lot=TK2605-01`,
      });
      assert.equal(form.statusCode, 200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
      const cookie = (form.headers['set-cookie'] as string[] | string | undefined) ?? [];
      const post = (payload: Record<string, string>) =>
        app.server.inject({
          method: 'POST',
          url: '/trace/report',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            cookie: (Array.isArray(cookie) ? cookie : [cookie]).map((c) => c.split(';')[0]).join('; '),
          },
          payload: new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), ...payload }).toString(),
        });
      const empty = await post({ gtin: GTIN_A, lot: 'TK2605-01', kind: 'fake', message: '' });
      assert.equal(empty.statusCode, 400, empty.body.slice(0, 500));
      const sent = await post({
        gtin: GTIN_A,
        lot: 'TK2605-01',
        kind: 'fake',
        message: 'Tem bị dán lại trên bao bì khác',
      });
      assert.equal(sent.statusCode, 200, sent.body.slice(0, 500));
      const dashboard = (await call('GET', '/api/v1/scans', token.a)).json() as {
        reports: { message: string }[];
      };
      assert.ok(dashboard.reports.some((r) => r.message === 'Tem bị dán lại trên bao bì khác'));
    });

    test('entered links (GS1 Resolver CE data entry): a producer only for its GTINs; the CE resolver cases pass over HTTP', async () => {
      const own = await call('POST', '/api/v1/resolver/entries', token.a, {
        anchor: `/01/${GTIN_A}`,
        itemDescription: 'Tôm khô Tân Ân',
        defaultLinktype: 'gs1:recipeInfo',
        links: [
          {
            linktype: 'gs1:recipeInfo',
            href: 'https://tomkhotanan.vn/cong-thuc',
            title: 'Công thức',
            type: 'text/html',
            hreflang: ['vi'],
          },
        ],
      });
      assert.equal(own.statusCode, 201, own.body);
      const recipe = await call('GET', `/01/${GTIN_A}?linkType=gs1:recipeInfo`, null);
      assert.equal(String(recipe.headers.location).split('?')[0], 'https://tomkhotanan.vn/cong-thuc');
      const others = await call('POST', '/api/v1/resolver/entries', token.a, {
        anchor: `/01/${GTIN_B}`,
        itemDescription: 'x',
        defaultLinktype: 'gs1:pip',
        links: [{ linktype: 'gs1:pip', href: 'https://x.vn', title: 'x' }],
      });
      assert.equal(others.statusCode, 403, others.body);
      assert.equal(
        (await call('POST', '/api/v1/resolver/entries', token.admin, { anchor: 'nope' })).statusCode,
        400,
      );

      // the GS1 Resolver CE fixtures, loaded by an administrator, and its test cases over HTTP
      for (const file of fs.readdirSync(path.join(FIXTURES, 'resolver-fixtures'))) {
        const body = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'resolver-fixtures', file), 'utf8'));
        const loaded = await call('POST', '/api/v1/resolver/entries', token.admin, body);
        assert.equal(loaded.statusCode, 201, `${file}: ${loaded.body.slice(0, 400)}`);
      }
      const cases = JSON.parse(
        fs.readFileSync(path.join(FIXTURES, 'resolver-cases.gs1-resolver-ce.json'), 'utf8'),
      ) as {
        request: string;
        request_headers?: Record<string, string>;
        expect_status: number;
        expect_location?: string;
        expect_location_contains?: string[];
      }[];
      let ran = 0;
      for (const c of cases) {
        if (c.request.includes('compress=true')) continue; // a Resolver CE helper, not the standard
        const url = c.request.replace(/^GET /, '');
        const headers = Object.fromEntries(
          Object.entries(c.request_headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
        );
        const r = await call('GET', url, null, undefined, headers);
        assert.equal(r.statusCode, c.expect_status, `${c.request}: ${r.body}`);
        if (c.expect_location) assert.equal(r.headers.location, c.expect_location, c.request);
        for (const part of c.expect_location_contains ?? [])
          assert.ok(
            String(r.headers.location).includes(part),
            `${c.request}: ${r.headers.location} lacks ${part}`,
          );
        ran += 1;
      }
      assert.ok(ran >= 10);
    });
  });
}
