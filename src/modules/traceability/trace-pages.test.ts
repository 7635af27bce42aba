/**
 * The producer's trace pages on both engines, through the forms as a browser sends them (the CSRF
 * token taken from the GET page): a shrimp cooperative registers its pond, its processing facility
 * and an OCOP point of sale; creates batches of its products; records harvest → processing →
 * packing → shipping → receiving → sale, uploads a test report and records an inspection citing
 * it, issues serials, recalls the lot. Refused input comes back with the Vietnamese message next to
 * its field, what was typed kept, and nothing stored. Other producers get 404; offices choose the
 * producer; the public is sent to sign in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  createProducer,
  type SignedInAgent,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { ADMIN, SYSTEM } from '../../../tests/support/dossiers.ts';
import { samplePdf } from '../../../tests/support/files.ts';
import { withGs1CheckDigit } from '../../platform/gs1/check-digit.ts';
import { tracePagesMessages } from './trace-pages.messages.ts';

after(dropOwnTemplates);

const VI = tracePagesMessages.vi as Record<string, string>;
/** A message of this module in Vietnamese, its parameters filled in. */
const vi = (key: string, params: Record<string, string> = {}) =>
  VI[key]!.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
/** A string as it appears in the page (the JSX runtime escapes & < > " '). */
const html = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The error shown next to a field: `<p class="error" id="f-name-error">message</p>`. */
const errorNextTo = (name: string, message: string) =>
  new RegExp(`id="f-${escapeRe(name)}-error">${escapeRe(html(message))}</p>`);

/** A multipart/form-data body, as a browser sends it. */
function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer; type: string }) {
  const boundary = `----ocop${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const engine of testEngines()) {
  describe(`trace pages: a producer records a batch's journey (${engine})`, () => {
    let app: TestApp;
    // 10:00 in Vietnam on 25 May 2026
    const clock = new Date('2026-05-25T03:00:00Z');
    const GTIN_DRIED = withGs1CheckDigit('893000001001');
    const GTIN_RAW = withGs1CheckDigit('893000001002');
    const GTIN_OTHER = withGs1CheckDigit('893000002001');
    const ids = {
      producer: '',
      otherProducer: '',
      dried: '',
      raw: '',
      otherProduct: '',
      pond: '',
      facility: '',
      shop: '',
      rawBatch: '',
      batch: '',
      report: '',
    };
    let owner: SignedInAgent;
    let rival: SignedInAgent;

    before(async () => {
      app = await startTestApp(engine, { now: () => new Date(clock) });
      ids.producer = (await createProducer(app, { legalName: 'HTX Tôm khô Rạch Gốc' })).id;
      ids.otherProducer = (await createProducer(app, { legalName: 'HTX Cua Năm Căn' })).id;
      const product = async (producerId: string, name: string, gtin: string) =>
        (
          await app.products.products.create(SYSTEM, ADMIN, {
            producerId,
            name,
            productSet: 8,
            gtins: [gtin],
          })
        ).id;
      ids.dried = await product(ids.producer, 'Tôm khô Rạch Gốc', GTIN_DRIED);
      ids.raw = await product(ids.producer, 'Tôm sú nguyên liệu', GTIN_RAW);
      ids.otherProduct = await product(ids.otherProducer, 'Cua gạch Năm Căn', GTIN_OTHER);
      owner = await signIn(app, { email: 'chu@tomkho.vn', role: 'producer', producerId: ids.producer });
      rival = await signIn(app, {
        email: 'chu@cuanamcan.vn',
        role: 'producer',
        producerId: ids.otherProducer,
      });
    });
    after(() => app?.close());

    const get = (agent: SignedInAgent | null, url: string) =>
      app.server.inject({
        url,
        headers: { accept: 'text/html', ...(agent ? { cookie: agent.cookie } : {}) },
      });
    const csrfOf = (page: string) => {
      const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
      assert.ok(token, 'the page carries a form with its CSRF token');
      return token;
    };
    /** Opens the form's page, then posts the form with the page's CSRF token. */
    async function submit(
      agent: SignedInAgent,
      formUrl: string,
      action: string,
      fields: Record<string, string | string[]>,
    ) {
      const form = await get(agent, formUrl);
      assert.equal(form.statusCode, 200, `${formUrl}: ${form.body.slice(0, 300)}`);
      const body = new URLSearchParams({ _csrf: csrfOf(form.body) });
      for (const [name, value] of Object.entries(fields))
        for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      return app.server.inject({
        method: 'POST',
        url: action,
        headers: {
          cookie: agent.cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: body.toString(),
      });
    }
    const count = async (table: string) =>
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(table)}`.execute(app.database.db))
        .rows[0]!.n;
    const counts = async () => ({
      batches: await count('traceability.batch'),
      events: await count('traceability.event'),
      reports: await count('traceability.batch_document'),
      places: await count('traceability.location'),
      partners: await count('traceability.partner'),
      serials: await count('traceability.serial_range'),
    });
    const idIn = (location: string | undefined, pattern: RegExp) => {
      const match = pattern.exec(location ?? '');
      assert.ok(match, `redirected to ${location}`);
      return match[1]!;
    };
    /** The id of the option labelled `name` in a page's selects. */
    const optionOf = (page: string, name: string) => {
      const match = new RegExp(`<option value="([0-9a-f-]{36})"[^>]*>${escapeRe(html(name))}</option>`).exec(
        page,
      );
      assert.ok(match, `an option for ${name}`);
      return match[1]!;
    };
    const batchUrl = () => `/trace/batches/${ids.batch}`;
    const stepUrl = (step: string) => `${batchUrl()}/steps/${step}`;
    const recordStep = (step: string, fields: Record<string, string | string[]>) =>
      submit(owner, stepUrl(step), stepUrl(step), fields);

    test('places and partners: added by form, refused with the message next to the field', async () => {
      const before = await counts();
      const bad = await submit(owner, '/trace/places', '/trace/places', {
        kind: 'farm',
        name: '',
        communeCode: '32002',
        latitude: '105,1524',
        longitude: '9,1769',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, errorNextTo('name', 'Bắt buộc phải có'));
      assert.match(bad.body, errorNextTo('latitude', 'Phải từ 8 đến 24'), 'latitude and longitude swapped');
      assert.match(bad.body, /name="latitude"[^>]*value="105,1524"/, 'what was typed stays');
      assert.deepEqual(await counts(), before, 'nothing stored');

      const pond = await submit(owner, '/trace/places', '/trace/places', {
        kind: 'farm',
        name: 'Ao tôm số 1',
        communeCode: '32002',
        latitude: '9,1769',
        longitude: '105,1524',
        certifications: 'VietGAP 2025',
      });
      assert.equal(pond.statusCode, 303, pond.body.slice(0, 500));
      assert.equal(pond.headers.location, '/trace/places?added=place');
      const facility = await submit(owner, '/trace/places', '/trace/places', {
        kind: 'processing_facility',
        name: 'Xưởng chế biến Tân Thành',
        communeCode: '32002',
      });
      assert.equal(facility.statusCode, 303);
      const shop = await submit(owner, '/trace/places', '/trace/partners', {
        'partner/kind': 'ocop_point_of_sale',
        'partner/name': 'Điểm bán OCOP Cà Mau',
        'partner/address': '1 Trần Hưng Đạo, Cà Mau',
        'partner/communeCode': '32002',
      });
      assert.equal(shop.statusCode, 303);
      assert.equal(shop.headers.location, '/trace/places?added=partner');
      const badPartner = await submit(owner, '/trace/places', '/trace/partners', {
        'partner/kind': 'ocop_point_of_sale',
        'partner/name': 'Siêu thị',
        'partner/identifier': '8930000000011',
      });
      assert.equal(badPartner.statusCode, 400);
      assert.match(
        badPartner.body,
        errorNextTo(
          'partner/identifier',
          'Phải là mã địa điểm GS1 (GLN, SGLN hoặc GS1 Digital Link /414/, /417/) đúng số kiểm tra',
        ),
      );
      assert.match(badPartner.body, /name="partner\/name"[^>]*value="Siêu thị"/);

      const after = await counts();
      assert.equal(after.places - before.places, 2);
      assert.equal(after.partners - before.partners, 1);
      const page = await get(owner, '/trace/places?added=partner');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(escapeRe(vi('tracePages.notice.partnerAdded'))));
      for (const name of ['Ao tôm số 1', 'Xưởng chế biến Tân Thành', 'Điểm bán OCOP Cà Mau', 'VietGAP 2025'])
        assert.ok(page.body.includes(html(name)), name);
      assert.match(page.body, /openstreetmap\.org\/\?mlat=9\.1769&amp;mlon=105\.1524/, 'the pond on a map');
      assert.match(page.body, new RegExp(escapeRe(vi('tracePages.kind.ocop_point_of_sale'))));
    });

    test('a new batch: refused input shows the message next to its field and stores nothing', async () => {
      const form = await get(owner, '/trace/batches/new');
      assert.equal(form.statusCode, 200);
      ids.pond = optionOf(form.body, 'Ao tôm số 1');
      assert.ok(form.body.includes('Tôm khô Rạch Gốc') && form.body.includes('Tôm sú nguyên liệu'));
      assert.ok(!form.body.includes('Cua gạch Năm Căn'), 'only the producer’s own products');
      assert.match(form.body, /type="date"[^>]*value="2026-05-25"|value="2026-05-25"[^>]*type="date"/);
      const before = await counts();
      const good = {
        productId: ids.dried,
        lot: 'TK-2605',
        productionDate: '2026-05-20',
        packingDate: '2026-05-20',
        expiryDate: '2026-11-20',
        quantity: '120',
        unit: 'kg',
        rawMaterialLocationId: ids.pond,
        note: 'Tôm sú ao quảng canh',
      };
      const cases: [Record<string, string>, string, string][] = [
        [{ expiryDate: '2026-05-01' }, 'expiryDate', vi('validation.afterProduction')],
        [{ lot: 'TK 2605' }, 'lot', vi('validation.gs1Lot')],
        [{ lot: 'TK-2605-ABCDEFGHIJKLM' }, 'lot', vi('validation.gs1Lot')],
        [{ productId: ids.otherProduct }, 'productId', 'Không tìm thấy sản phẩm này'],
        [{ productionDate: '2026-05-26' }, 'productionDate', 'Ngày này chưa tới'],
        [{ quantity: '12 tấn' }, 'quantity', 'Phải là một số, ví dụ 1.234,5 hoặc 12,75'],
      ];
      assert.equal('TK-2605-ABCDEFGHIJKLM'.length, 21);
      for (const [change, field, message] of cases) {
        const res = await submit(owner, '/trace/batches/new', '/trace/batches/new', { ...good, ...change });
        assert.equal(res.statusCode, 400, `${JSON.stringify(change)}: ${res.statusCode}`);
        assert.match(res.body, errorNextTo(field, message), JSON.stringify(change));
        assert.ok(
          res.body.includes(html(Object.values(change)[0]!)) || field === 'productId',
          'what was typed stays',
        );
        assert.match(res.body, /Tôm sú ao quảng canh<\/textarea>/, 'the note stays');
      }
      assert.deepEqual(await counts(), before, 'nothing stored');

      // the raw shrimp first, then the dried shrimp made from it
      const raw = await submit(owner, '/trace/batches/new', '/trace/batches/new', {
        ...good,
        productId: ids.raw,
        lot: 'TS-0519',
        productionDate: '2026-05-19',
        packingDate: '',
        expiryDate: '',
        quantity: '500',
      });
      assert.equal(raw.statusCode, 303, raw.body.slice(0, 800));
      ids.rawBatch = idIn(raw.headers.location, /^\/trace\/batches\/([0-9a-f-]{36})\?created=1$/);
      const again = await submit(owner, '/trace/batches/new', '/trace/batches/new', {
        ...good,
        productId: ids.raw,
        lot: 'TS-0519',
        productionDate: '2026-05-19',
        expiryDate: '',
      });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, errorNextTo('lot', vi('validation.lotTaken')));
      const created = await submit(owner, '/trace/batches/new', '/trace/batches/new', {
        ...good,
        inputBatchIds: [ids.rawBatch],
      });
      assert.equal(created.statusCode, 303, created.body.slice(0, 800));
      ids.batch = idIn(created.headers.location, /^\/trace\/batches\/([0-9a-f-]{36})\?created=1$/);
      assert.equal((await counts()).batches, before.batches + 2);

      const page = await get(owner, created.headers.location!);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(vi('tracePages.notice.created')));
      assert.ok(
        page.body.includes('TK-2605') && page.body.includes('20/05/2026') && page.body.includes('20/11/2026'),
      );
      assert.ok(page.body.includes('Ao tôm số 1'), 'the raw-material area by name');
      assert.ok(page.body.includes(`href="/trace/batches/${ids.rawBatch}"`), 'the ingredient lot linked');
      assert.ok(page.body.includes('120 kg'));
      assert.ok(page.body.includes(`href="/01/0${GTIN_DRIED}/10/TK-2605"`), 'the public trace page');
      assert.ok(
        page.body.includes(`href="${batchUrl()}/labels.pdf"`) ||
          page.body.includes(`action="${batchUrl()}/labels.pdf"`),
      );
      assert.ok(page.body.includes(`${batchUrl()}/qr.svg`) && page.body.includes(`${batchUrl()}/qr.png`));
      // the list, newest first
      const list = await get(owner, '/trace');
      assert.equal(list.statusCode, 200);
      assert.ok(list.body.indexOf('TK-2605') < list.body.indexOf('TS-0519'), 'newest first');
      assert.ok(list.body.includes('href="/trace/scans"') && list.body.includes('href="/trace/places"'));
      assert.ok(list.body.includes(vi('tracePages.newBatch')));
    });

    test('the journey through the forms, and a step out of order refused', async () => {
      const harvestForm = await get(owner, stepUrl('harvest'));
      assert.equal(harvestForm.statusCode, 200);
      ids.facility = optionOf(harvestForm.body, 'Xưởng chế biến Tân Thành');
      assert.match(
        harvestForm.body,
        new RegExp(`<option value="${ids.pond}" selected>`),
        'the raw-material area chosen',
      );
      assert.match(harvestForm.body, /type="datetime-local"[^>]*value="2026-05-25T10:00"/, 'now in Vietnam');
      assert.match(harvestForm.body, /name="quantity"[^>]*value="120"[^>]*inputmode="decimal"/);
      let res = await recordStep('harvest', {
        eventTime: '2026-05-20T05:30',
        placeId: ids.pond,
        quantity: '500',
        unit: 'kg',
        note: 'Thu hoạch lúc nước ròng',
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      assert.equal(res.headers.location, `${batchUrl()}?recorded=harvest`);

      // a shipment before the harvest: refused next to the time, nothing stored
      const shipForm = await get(owner, stepUrl('shipping'));
      ids.shop = optionOf(shipForm.body, 'Điểm bán OCOP Cà Mau');
      const before = await counts();
      res = await recordStep('shipping', {
        eventTime: '2026-05-20T05:00',
        placeId: ids.facility,
        partnerId: ids.shop,
        quantity: '120',
        unit: 'kg',
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, errorNextTo('eventTime', vi('validation.notBeforeStep', { step: 'Thu hoạch' })));
      assert.match(res.body, /value="2026-05-20T05:00"/, 'what was typed stays');
      // a shipment with no destination, at a time that does not exist
      res = await recordStep('shipping', { eventTime: '2026-02-30T07:00', placeId: ids.facility });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, errorNextTo('eventTime', vi('validation.dateTime')));
      assert.match(res.body, errorNextTo('partnerId', 'Bắt buộc phải có'));
      assert.deepEqual(await counts(), before, 'nothing stored');

      // a processing without any ingredient lot (the raw shrimp lot has none): said next to the lots
      const rawProcessing = `/trace/batches/${ids.rawBatch}/steps/processing`;
      res = await submit(owner, rawProcessing, rawProcessing, {
        eventTime: '2026-05-19T09:00',
        placeId: ids.facility,
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, errorNextTo('inputBatchIds', vi('validation.ingredientLots')));
      assert.deepEqual(await counts(), before, 'nothing stored');

      const processingForm = await get(owner, stepUrl('processing'));
      assert.match(
        processingForm.body,
        new RegExp(`name="inputBatchIds" value="${ids.rawBatch}" checked`),
        'the batch’s recorded input ticked',
      );
      assert.match(processingForm.body, new RegExp(`<option value="${ids.facility}" selected>`));
      const steps: [string, Record<string, string | string[]>][] = [
        [
          'processing',
          { eventTime: '2026-05-20T09:00', placeId: ids.facility, inputBatchIds: [ids.rawBatch] },
        ],
        ['packing', { eventTime: '2026-05-20T15:00', placeId: ids.facility, quantity: '120', unit: 'kg' }],
        [
          'shipping',
          {
            eventTime: '2026-05-21T07:00',
            placeId: ids.facility,
            partnerId: ids.shop,
            quantity: '120',
            unit: 'kg',
            document: 'PX-0001',
          },
        ],
      ];
      for (const [step, fields] of steps) {
        res = await recordStep(step, fields);
        assert.equal(res.statusCode, 303, `${step}: ${res.body.slice(0, 800)}`);
      }
      const receivingForm = await get(owner, stepUrl('receiving'));
      assert.match(
        receivingForm.body,
        new RegExp(`<option value="${ids.shop}" selected>`),
        'received where shipped',
      );
      res = await recordStep('receiving', {
        eventTime: '2026-05-21T16:00',
        placeId: ids.shop,
        quantity: '120',
        unit: 'kg',
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      res = await recordStep('sale', {
        eventTime: '2026-05-22T10:00',
        placeId: ids.shop,
        quantity: '2',
        unit: 'kg',
        document: 'HD 15',
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      assert.equal((await counts()).events - before.events, 6 - 1, 'five more events');

      const page = await get(owner, `${batchUrl()}?recorded=sale`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(vi('tracePages.notice.recorded', { step: 'Bán tại điểm bán' })));
      const journey = page.body.slice(page.body.indexOf('class="trace-journey"'));
      let at = 0;
      const expected: [string, string, string][] = [
        ['Thu hoạch', '20/05/2026 05:30', 'Ao tôm số 1'],
        ['Chế biến', '20/05/2026 09:00', 'Xưởng chế biến Tân Thành'],
        ['Đóng gói', '20/05/2026 15:00', 'Xưởng chế biến Tân Thành'],
        ['Xuất hàng', '21/05/2026 07:00', 'Điểm bán OCOP Cà Mau'],
        ['Nhận hàng', '21/05/2026 16:00', 'Điểm bán OCOP Cà Mau'],
        ['Bán tại điểm bán', '22/05/2026 10:00', 'Điểm bán OCOP Cà Mau'],
      ];
      for (const [step, when, where] of expected) {
        const found = journey.indexOf(`<h3>${step}</h3>`, at);
        assert.ok(found >= at, `${step} in order`);
        at = found;
        const entry = journey.slice(found, journey.indexOf('</li>', found));
        assert.ok(entry.includes(when), `${step} at ${when}`);
        assert.ok(entry.includes(html(where)), `${step} at ${where}`);
      }
      for (const text of ['500 kg', 'Thu hoạch lúc nước ròng', 'PX-0001', 'HD 15', 'TS-0519'])
        assert.ok(journey.includes(text), text);
      // the ingredient lot's page says where it went
      const rawPage = await get(owner, `/trace/batches/${ids.rawBatch}`);
      assert.ok(rawPage.body.includes(vi('tracePages.batchPage.usedIn')));
      assert.ok(rawPage.body.includes(`href="${batchUrl()}"`));
      // in English too
      const english = await get(owner, `${batchUrl()}?lang=en`);
      assert.ok(
        english.body.includes('Journey of the batch') && english.body.includes('Sold at a point of sale'),
      );
    });

    test('a test report uploaded, then an inspection citing it', async () => {
      const upload = async (
        fields: Record<string, string>,
        file?: { name: string; bytes: Buffer; type: string },
      ) => {
        const csrf = csrfOf((await get(owner, batchUrl())).body);
        const body = multipart({ _csrf: csrf, ...fields }, file);
        return app.server.inject({
          method: 'POST',
          url: `${batchUrl()}/reports`,
          headers: { cookie: owner.cookie, accept: 'text/html', 'content-type': body.contentType },
          payload: body.payload,
        });
      };
      const before = await counts();
      let res = await upload(
        { name: 'Phiếu kiểm nghiệm', issuedOn: '2026-05-21' },
        { name: 'phieu.txt', bytes: Buffer.from('không phải PDF'), type: 'text/plain' },
      );
      assert.equal(res.statusCode, 400);
      assert.match(res.body, errorNextTo('file', vi('validation.reportType')));
      assert.match(res.body, /name="name"[^>]*value="Phiếu kiểm nghiệm"/);
      res = await upload({ name: '', issuedOn: '2026-06-01' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, errorNextTo('name', 'Bắt buộc phải có'));
      assert.match(res.body, errorNextTo('issuedOn', 'Ngày này chưa tới'));
      assert.match(res.body, errorNextTo('file', 'Bắt buộc phải có'));
      assert.deepEqual(await counts(), before, 'nothing stored');

      res = await upload(
        { name: 'Phiếu kiểm nghiệm kháng sinh — Quatest 3', issuedOn: '2026-05-21' },
        { name: 'phieu.pdf', bytes: samplePdf('Phieu kiem nghiem'), type: 'application/pdf' },
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      assert.equal(res.headers.location, `${batchUrl()}?report=1#reports`);
      assert.equal((await counts()).reports, before.reports + 1);

      const form = await get(owner, stepUrl('inspection'));
      ids.report = new RegExp(
        `<option value="([0-9a-f-]{36})">${escapeRe(html('Phiếu kiểm nghiệm kháng sinh — Quatest 3'))}`,
      ).exec(form.body)![1]!;
      assert.match(form.body, /type="radio"[^>]*value="yes" checked/, 'passed by default');
      res = await recordStep('inspection', {
        eventTime: '2026-05-21T08:00',
        placeId: ids.facility,
        conformant: 'yes',
        reportId: ids.report,
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      const page = await get(owner, batchUrl());
      const inspection = page.body.slice(page.body.indexOf('<h3>Kiểm tra</h3>'));
      assert.ok(inspection.includes('<dd>Đạt</dd>'));
      assert.ok(inspection.includes(`/trace/reports/${ids.report}`), 'the report linked');
      assert.ok(page.body.includes(html('Phiếu kiểm nghiệm kháng sinh — Quatest 3')));
    });

    test('serials for labels', async () => {
      const before = await counts();
      let res = await submit(owner, batchUrl(), `${batchUrl()}/serials`, { count: '0', prefix: 'TOM' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /id="f-count-error">Phải từ 1 đến \d+<\/p>/);
      res = await submit(owner, batchUrl(), `${batchUrl()}/serials`, { count: '10', prefix: 'TÔM' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, errorNextTo('prefix', vi('validation.gs1Serial')));
      assert.equal((await counts()).serials, before.serials);
      res = await submit(owner, batchUrl(), `${batchUrl()}/serials`, { count: '100', prefix: 'TOM' });
      assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      const page = await get(owner, res.headers.location!);
      assert.ok(page.body.includes(vi('tracePages.notice.serials', { count: '100' })));
      assert.ok(page.body.includes('TOM000001 – TOM000100'));
      const range = /<button type="submit" name="range" value="([0-9a-f-]{36})"/.exec(page.body);
      assert.ok(range, 'a label sheet of the range can be asked for');
    });

    test('the recall: confirmed with a reason, then the banner', async () => {
      const before = await counts();
      let res = await submit(owner, `${batchUrl()}/recall`, `${batchUrl()}/recall`, {
        reason: '',
        placeId: ids.facility,
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, errorNextTo('reason', 'Bắt buộc phải có'));
      assert.match(res.body, errorNextTo('confirm', 'Bắt buộc phải có'));
      assert.deepEqual(await counts(), before);
      res = await submit(owner, `${batchUrl()}/recall`, `${batchUrl()}/recall`, {
        reason: 'Phát hiện dư lượng kháng sinh vượt mức',
        placeId: ids.facility,
        confirm: '1',
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      const page = await get(owner, res.headers.location!);
      assert.ok(page.body.includes('class="trace-recall"'));
      assert.ok(page.body.includes(vi('tracePages.recall.title')));
      assert.ok(page.body.includes('Phát hiện dư lượng kháng sinh vượt mức'));
      assert.ok(!page.body.includes(`href="${stepUrl('shipping')}"`), 'only inspections are offered');
      assert.ok(page.body.includes(`href="${stepUrl('inspection')}"`));
      assert.equal((await counts()).events, before.events + 1, 'the recall event');
      assert.equal((await get(owner, stepUrl('sale'))).statusCode, 409);
      assert.equal((await get(owner, `${batchUrl()}/recall`)).statusCode, 409);
      const list = await get(owner, '/trace');
      assert.ok(list.body.includes(vi('tracePages.recalledBadge')));
    });

    test('who may: other producers 404, offices choose the producer, the public signs in', async () => {
      assert.equal((await get(rival, batchUrl())).statusCode, 404);
      assert.equal((await get(rival, stepUrl('inspection'))).statusCode, 404);
      const before = await counts();
      const res = await app.server.inject({
        method: 'POST',
        url: stepUrl('inspection'),
        headers: {
          cookie: rival.cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({
          _csrf: csrfOf((await get(rival, '/trace/places')).body),
          eventTime: '2026-05-24T08:00',
          placeId: ids.facility,
        }).toString(),
      });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(await counts(), before, 'nothing stored');
      const rivalList = await get(rival, '/trace');
      assert.equal(rivalList.statusCode, 200);
      assert.ok(!rivalList.body.includes('TK-2605'));

      const anonymous = await get(null, '/trace');
      assert.equal(anonymous.statusCode, 303);
      assert.equal(anonymous.headers.location, '/login?next=%2Ftrace');
      assert.equal((await get(null, batchUrl())).statusCode, 303);

      const council = await signIn(app, { email: 'hoidong@camau.vn', role: 'council_member' });
      assert.equal((await get(council, '/trace')).statusCode, 403);
      assert.equal((await get(council, batchUrl())).statusCode, 404);

      const commune = await signIn(app, {
        email: 'xa@camau.vn',
        role: 'commune_officer',
        scopeCode: '32002',
      });
      const seen = await get(commune, batchUrl());
      assert.equal(seen.statusCode, 200, 'a commune officer reads its commune’s batches');
      assert.ok(!seen.body.includes(`href="${stepUrl('inspection')}"`), 'without recording');
      assert.equal((await get(commune, stepUrl('inspection'))).statusCode, 403);
      assert.equal((await get(commune, '/trace/batches/new')).statusCode, 403);

      const office = await signIn(app, { email: 'tinh@camau.vn', role: 'province_office', scopeCode: '96' });
      const chooser = await get(office, '/trace/batches/new');
      assert.equal(chooser.statusCode, 200);
      assert.ok(chooser.body.includes(`<option value="${ids.producer}">`), 'the producer to choose');
      const form = await get(office, `/trace/batches/new?producerId=${ids.producer}`);
      assert.equal(form.statusCode, 200);
      assert.ok(form.body.includes(`name="producerId" value="${ids.producer}"`));
      // an office records for the producer it chose: another producer's product is refused
      const wrong = await submit(
        office,
        `/trace/batches/new?producerId=${ids.producer}`,
        '/trace/batches/new',
        {
          producerId: ids.producer,
          productId: ids.otherProduct,
          lot: 'C-01',
          productionDate: '2026-05-24',
        },
      );
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, errorNextTo('productId', 'Không tìm thấy sản phẩm này'));
      assert.deepEqual(await counts(), before, 'nothing stored');
      const officeList = await get(office, '/trace');
      assert.ok(officeList.body.includes('HTX Tôm khô Rạch Gốc'), 'an office sees whose batch it is');
    });
  });
}
