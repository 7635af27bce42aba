/**
 * The certificate register on both engines: the status rule in SQL agrees with the pure one on
 * every boundary; recording and revoking over the API (every refusal leaves the database as it
 * was); the public verification page with its signed QR, verified offline with the published
 * keys and after a rotation; the printable certificate and the mark; the daily reminders; the
 * re-evaluation that keeps a certificate in force; open data; the list API and its pages.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import {
  createProducer,
  type SignedInAgent,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { ADMIN, forwardedDossier, SYSTEM } from '../../../tests/support/dossiers.ts';
import type { DB } from '../../platform/db/schema.ts';
import { addDays } from '../../platform/time.ts';
import { CERTIFICATE_STATUSES, IN_FORCE } from './certificate.model.ts';
import { certificateStatus } from './certificate-status.ts';
import type { CertificateRow } from './certificates.queries.ts';
import { type Certificate, datesOf } from './certificates.service.ts';
import { certificationMessages } from './certification.messages.ts';

after(dropOwnTemplates);

/** Noon in Vietnam on that day: the platform's clock for it. */
const at = (day: string) => new Date(`${day}T05:00:00Z`);
/** dd/mm/yyyy, as the Vietnamese pages write dates. */
const vn = (iso: string) => iso.split('-').reverse().join('/');
const vi = (key: string) => (certificationMessages.vi as Record<string, string>)[key]!;

const count = async (db: Kysely<DB>, table: string, where = 'true') =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.raw(table)} where ${sql.raw(where)}`.execute(db)
  ).rows[0]!.n;

/** What every request helper does: JSON unless told, the agent's session cookie and CSRF token. */
function requester(app: () => TestApp) {
  return (method: string, url: string, agent: SignedInAgent | null, payload?: unknown, headers = {}) =>
    app().server.inject({
      method: method as 'GET',
      url,
      headers: {
        accept: 'application/json',
        ...(agent ? { cookie: agent.cookie, 'x-csrf-token': agent.csrf } : {}),
        ...headers,
      },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
}

const rulesOf = (body: { errors?: { name: string; rule: string }[] }) =>
  (body.errors ?? []).map((e) => `${e.name}:${e.rule}`);

const jsonLdOf = (page: string) => {
  const match = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page);
  assert.ok(match, 'the page carries JSON-LD');
  return JSON.parse(match[1]!) as Record<string, unknown> & {
    certificationRating: { ratingValue: number };
    issuedBy: { name: string };
  };
};

for (const engine of testEngines()) {
  // ---------------------------------------------------------------------------------------------
  describe(`certificate status: SQL = the pure rule on every boundary (${engine})`, () => {
    let app: TestApp;
    let clock = at('2026-06-01');
    let rows: CertificateRow[] = [];

    // the running example: in force through V, window O..C
    const V = '2027-03-10';
    const I = '2024-03-10';
    const O = addDays(V, -180);
    const C = addDays(V, -120);
    interface Spec {
      issued?: string;
      until?: string;
      revoked?: string;
      superseded?: string;
      filed?: string;
      ended?: string;
    }
    const SPECS: Spec[] = [
      {},
      // issued after the window closed, inside it, on its first day, the day before the end
      { issued: addDays(C, 10) },
      { issued: addDays(O, 5) },
      { issued: O },
      { issued: addDays(V, -1) },
      // a leap day for an end date, and a period other than 36 months
      { issued: '2025-02-28', until: '2028-02-29' },
      { issued: '2025-03-01', until: '2028-02-29' },
      { issued: '2026-01-15', until: '2026-07-15' },
      // revoked on every boundary
      { revoked: I },
      { revoked: addDays(O, -1) },
      { revoked: O },
      { revoked: C },
      { revoked: addDays(C, 1) },
      { revoked: V },
      { revoked: addDays(V, 1) },
      { revoked: addDays(V, 200) },
      { filed: O, revoked: addDays(V, 100) },
      // superseded, and superseded then revoked, and revoked before a successor was dated
      { superseded: I },
      { superseded: addDays(O, 10) },
      { superseded: addDays(V, -1) },
      { superseded: V },
      { filed: O, superseded: addDays(V, 30) },
      { superseded: addDays(O, 10), revoked: addDays(V, -30) },
      { revoked: addDays(O, 20), superseded: addDays(O, 40) },
      // a re-evaluation filed: early, in the window, after it, on the last day in force, a day late
      { filed: addDays(O, -10) },
      { filed: O },
      { filed: C },
      { filed: addDays(C, 30) },
      { filed: V },
      { filed: addDays(V, 1) },
      // … and ended without a new certificate on every boundary
      { filed: O, ended: addDays(V, -10) },
      { filed: O, ended: V },
      { filed: O, ended: addDays(V, 1) },
      { filed: O, ended: addDays(V, 2) },
      { filed: O, ended: addDays(V, 50) },
      { filed: O, ended: addDays(V, 180) },
      { filed: O, ended: addDays(V, 181) },
      { filed: O, ended: addDays(V, 250) },
      { filed: addDays(V, 1), ended: addDays(V, 20) },
      { filed: V, ended: addDays(V, 90), revoked: addDays(V, 60) },
      { issued: '2025-03-01', until: '2028-02-29', filed: '2027-09-20', ended: '2028-05-01' },
    ];

    before(async () => {
      app = await startTestApp(engine, { now: () => clock });
      const db = app.database.db;
      const producers = [await createProducer(app), await createProducer(app, { communeCode: '32002' })];
      const productIds: string[] = [];
      for (let i = 0; i <= SPECS.length + 1; i++)
        productIds.push(
          (
            await app.products.products.create(SYSTEM, ADMIN, {
              producerId: producers[i % 2]!.id,
              name: `Sản phẩm trạng thái ${i}`,
              productSet: 8,
            })
          ).id,
        );
      // a real dossier for the filed ones to point at (the key is all the status looks at)
      const dossier = await app.products.dossiers.create(SYSTEM, ADMIN, {
        productId: productIds.at(-1)!,
        kind: 'first_evaluation',
      });
      const base = (i: number) => ({
        number: `SQL-${i}`,
        product_id: productIds[i]!,
        producer_id: producers[i % 2]!.id,
        product_name: `Sản phẩm trạng thái ${i}`,
        producer_name: 'HTX Thử',
        product_set: 8,
        commune_code: '32002',
        province_code: '96',
        level: 'province',
        stars: 3 + (i % 2),
        decision_number: `${i}/QĐ-UBND`,
        decision_signer: 'Lê Văn Ký',
        source: 'manual',
      });
      // the successor every superseded one points to
      const successor = await db
        .insertInto('certification.certificate')
        .values({ ...base(SPECS.length), decision_date: I, issued_on: I, valid_until: V })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [i, spec] of SPECS.entries()) {
        const issued = spec.issued ?? I;
        await db
          .insertInto('certification.certificate')
          .values({
            ...base(i),
            decision_date: issued,
            issued_on: issued,
            valid_until: spec.until ?? V,
            validity_reason: spec.until ? 'thời hạn khác' : null,
            superseded_by_id: spec.superseded ? successor.id : null,
            superseded_on: spec.superseded ?? null,
            revoked_on: spec.revoked ?? null,
            revocation_ground: spec.revoked ? 'mark_misuse' : null,
            revocation_decision_number: spec.revoked ? `T${i}/QĐ` : null,
            revocation_signer: spec.revoked ? 'Chủ tịch' : null,
            reevaluation_dossier_id: spec.filed ? dossier.id : null,
            reevaluation_filed_on: spec.filed ?? null,
            reevaluation_ended_on: spec.ended ?? null,
          })
          .execute();
      }
      rows = await db.selectFrom('certification.certificate').selectAll().execute();
      assert.equal(rows.length, SPECS.length + 1);
    });
    after(() => app?.close());

    /** Every day something changes for some certificate, with the days either side. */
    const checkDays = () => {
      const days = new Set<string>();
      for (const row of rows) {
        const anchors = [
          row.issued_on,
          row.valid_until,
          addDays(row.valid_until, -180),
          addDays(row.valid_until, -120),
          addDays(row.valid_until, 180),
          addDays(row.valid_until, 181),
          row.revoked_on,
          row.superseded_on,
          row.reevaluation_filed_on,
          row.reevaluation_ended_on,
        ];
        for (const day of anchors) if (day) for (const d of [-1, 0, 1]) days.add(addDays(day, d));
      }
      return [...days].sort();
    };

    test('for every day around every boundary, each status lists exactly the rows the pure rule gives it', async () => {
      const days = checkDays();
      assert.ok(days.length > 60, `${days.length} days`);
      const seen = new Set<string>();
      for (const day of days) {
        clock = at(day);
        const listed = new Map<string, string>();
        for (const status of CERTIFICATE_STATUSES) {
          const page = await app.certification.certificates.list({ status: [status], limit: 200 });
          assert.equal(page.day, day);
          assert.equal(page.nextCursor, null);
          const expected = rows
            .filter((r) => certificateStatus(datesOf(r), day).status === status)
            .map((r) => r.id)
            .sort();
          const got = page.items.map((c) => c.id).sort();
          assert.deepEqual(got, expected, `${status} on ${day}`);
          for (const c of page.items) {
            assert.equal(c.status, status, `${c.number} on ${day}`);
            listed.set(c.id, status);
          }
          if (expected.length > 0) seen.add(status);
        }
        assert.equal(listed.size, rows.length, `every certificate has exactly one status on ${day}`);
      }
      assert.deepEqual([...seen].sort(), [...CERTIFICATE_STATUSES].sort(), 'every status was met');
    });

    test('expiringWithinDays: the ones in force whose last day is within N days', async () => {
      for (const day of checkDays().filter((_, i) => i % 3 === 0)) {
        clock = at(day);
        for (const within of [0, 1, 45, 120, 180, 365]) {
          const page = await app.certification.certificates.list({ expiringWithinDays: within, limit: 200 });
          const expected = rows
            .filter(
              (r) =>
                IN_FORCE.includes(certificateStatus(datesOf(r), day).status) &&
                r.valid_until <= addDays(day, within),
            )
            .map((r) => r.id)
            .sort();
          assert.deepEqual(page.items.map((c) => c.id).sort(), expected, `${within} days from ${day}`);
        }
      }
    });

    test('several statuses at once are their union; paging by 7 walks the same rows in order', async () => {
      const day = addDays(V, 5);
      clock = at(day);
      const statuses = ['valid_pending_reevaluation', 'expired', 'superseded'] as const;
      const expected = rows
        .filter((r) => (statuses as readonly string[]).includes(certificateStatus(datesOf(r), day).status))
        .sort((a, b) => a.valid_until.localeCompare(b.valid_until) || a.id.localeCompare(b.id))
        .map((r) => r.id);
      const walked: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await app.certification.certificates.list({ status: [...statuses], limit: 7, cursor });
        walked.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(walked, expected);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe(`certificates over HTTP: recording, revocation, verification, QR, PDF, open data, lists (${engine})`, () => {
    const TODAY = '2026-03-01';
    let app: TestApp;
    let clock = at(TODAY);
    const call = requester(() => app);
    let admin: SignedInAgent;
    let office: SignedInAgent;
    let otherOffice: SignedInAgent;
    let owner: SignedInAgent;
    let stranger: SignedInAgent;
    const product: Record<string, string> = {};
    const cert: Record<string, Certificate> = {};
    const db = () => app.database.db;
    const certificates = () => count(db(), 'certification.certificate');
    const page = (url: string, agent: SignedInAgent | null = null) =>
      call('GET', url, agent, undefined, { accept: 'text/html' });
    const productStars = async (id: string) =>
      (await call('GET', `/api/v1/products/${id}`, admin)).json().stars;
    const body = (productId: string, extra: Record<string, unknown> = {}) => ({
      productId,
      level: 'province',
      stars: 4,
      decisionNumber: '125/QĐ-UBND',
      decisionDate: '2024-02-05',
      decisionSigner: 'Lê Văn Ký',
      ...extra,
    });

    before(async () => {
      app = await startTestApp(engine, { now: () => clock });
      const producer = await createProducer(app, { legalName: 'HTX Mật ong U Minh' });
      const other = await createProducer(app, { legalName: 'HTX Bánh phồng tôm' });
      const create = async (key: string, name: string, producerId = producer.id) => {
        product[key] = (
          await app.products.products.create(SYSTEM, ADMIN, { producerId, name, productSet: 8 })
        ).id;
      };
      await create('honey', 'Mật ong rừng U Minh');
      await create('honey2', 'Mật ong hoa tràm');
      await create('honey3', 'Mật ong bạc hà');
      await create('shrimp', 'Tôm khô Rạch Gốc', other.id);
      await create('crab', 'Cua Năm Căn', other.id);
      await create('fish', 'Khô cá bổi', other.id);
      await create('old', 'Mắm ba khía', other.id);
      await create('central', 'Trà mãng cầu', other.id);
      await create('markup', 'Mắm "Bà Ba" <đặc biệt> & </script><b>x</b>', other.id);
      admin = await signIn(app, { email: 'admin@gcn.vn', role: 'admin' });
      office = await signIn(app, { email: 'ocop@camau.vn', role: 'province_office', scopeCode: '96' });
      otherOffice = await signIn(app, { email: 'ocop@hanoi.vn', role: 'province_office', scopeCode: '01' });
      owner = await signIn(app, { email: 'chu@matong.vn', role: 'producer', producerId: producer.id });
      stranger = await signIn(app, { email: 'chu@khac.vn', role: 'producer' });
    });
    after(() => app?.close());

    test('create as administrator: a number, 36 months, the product’s stars', async () => {
      const res = await call('POST', '/api/v1/certificates', admin, body(product.honey!, { stars: 3 }));
      assert.equal(res.statusCode, 201, res.body);
      const c = res.json() as Certificate;
      cert.honey1 = c;
      assert.equal(c.number, 'OCOP-96-2024-00001');
      assert.deepEqual(
        [c.issuedOn, c.validUntil, c.validityReason, c.status, c.source, c.level, c.stars, c.provinceCode],
        ['2024-02-05', '2027-02-05', null, 'valid', 'manual', 'province', 3, '96'],
      );
      assert.equal(c.productName, 'Mật ong rừng U Minh');
      assert.equal(c.producerName, 'HTX Mật ong U Minh');
      assert.deepEqual(c.window, { opens: '2026-08-09', closes: '2026-10-08' });
      assert.equal(await productStars(product.honey!), 3);
      const row = await db()
        .selectFrom('certification.certificate')
        .selectAll()
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [row.number, row.valid_until, row.decision_signer, row.source],
        ['OCOP-96-2024-00001', '2027-02-05', 'Lê Văn Ký', 'manual'],
      );
      assert.equal(
        await count(db(), 'platform.audit_log', `action = 'certificate.create' and entity_id = '${c.id}'`),
        1,
      );
      const got = await call('GET', `/api/v1/certificates/${c.id}`, null);
      assert.equal(got.statusCode, 200);
      assert.equal(got.json().number, c.number);
    });

    test('create as the province office of 96: its own running number, issued after the decision', async () => {
      const res = await call(
        'POST',
        '/api/v1/certificates',
        office,
        body(product.shrimp!, { decisionDate: '2024-05-18', issuedOn: '2024-05-20', score: 78.5 }),
      );
      assert.equal(res.statusCode, 201, res.body);
      cert.shrimp = res.json();
      assert.deepEqual(
        [cert.shrimp!.number, cert.shrimp!.issuedOn, cert.shrimp!.validUntil, cert.shrimp!.score],
        ['OCOP-96-2024-00002', '2024-05-20', '2027-05-20', 78.5],
      );
      assert.equal(await productStars(product.shrimp!), 4);
    });

    test('refusals: dates in the future, a validity without reason, stars for the level — nothing written', async () => {
      const before = await certificates();
      const refused = async (extra: Record<string, unknown>, expected: string[]) => {
        const res = await call('POST', '/api/v1/certificates', office, body(product.crab!, extra));
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().code, 'validation_failed');
        assert.deepEqual(rulesOf(res.json()), expected, JSON.stringify(extra));
      };
      await refused({ decisionDate: TODAY, issuedOn: addDays(TODAY, 1) }, ['issuedOn:notFuture']);
      await refused({ decisionDate: addDays(TODAY, 1) }, ['decisionDate:notFuture', 'issuedOn:notFuture']);
      await refused({ decisionDate: '2024-02-05', issuedOn: '2024-02-04' }, ['issuedOn:notBeforeDecision']);
      await refused({ validUntil: '2026-02-05' }, ['validityReason:validityReason']);
      await refused({ validUntil: '2024-02-05' }, ['validUntil:afterIssue']);
      await refused({ stars: 5 }, ['stars:starsForLevel']);
      await refused({ level: 'district', stars: 4 }, ['stars:starsForLevel']);
      await refused({ level: 'central', stars: 4 }, ['stars:starsForLevel']);
      await refused({ decisionNumber: ' ', decisionSigner: '' }, [
        'decisionNumber:required',
        'decisionSigner:required',
      ]);
      const unknown = await call(
        'POST',
        '/api/v1/certificates',
        admin,
        body('00000000-0000-4000-8000-00000000abcd'),
      );
      assert.equal(unknown.statusCode, 422);
      assert.equal(unknown.json().code, 'certificate_product_not_found');
      assert.equal(await certificates(), before);
      assert.equal(await productStars(product.crab!), null);

      // with a reason, another period is accepted
      const ok = await call(
        'POST',
        '/api/v1/certificates',
        office,
        body(product.crab!, { validUntil: '2026-02-05', validityReason: 'Theo quyết định cũ (24 tháng)' }),
      );
      assert.equal(ok.statusCode, 201, ok.body);
      cert.crab = ok.json();
      assert.deepEqual(
        [cert.crab!.validUntil, cert.crab!.validityReason, cert.crab!.status],
        ['2026-02-05', 'Theo quyết định cũ (24 tháng)', 'expired'],
      );
      assert.equal(await productStars(product.crab!), null, 'expired on the day it was recorded: no stars');
    });

    test('a second certificate in force is refused; superseding the current one replaces it', async () => {
      const before = await certificates();
      const again = await call('POST', '/api/v1/certificates', office, body(product.honey!, { stars: 4 }));
      assert.equal(again.statusCode, 409, again.body);
      assert.equal(again.json().code, 'certificate_already_valid');
      assert.equal(again.json().params.number, 'OCOP-96-2024-00001');
      // supersedesId of another certificate is no better
      const wrong = await call(
        'POST',
        '/api/v1/certificates',
        office,
        body(product.honey!, { stars: 4, supersedesId: cert.shrimp!.id }),
      );
      assert.equal(wrong.statusCode, 409);
      assert.equal(await certificates(), before);
      const sequence = await db()
        .selectFrom('certification.number_sequence')
        .select('last_value')
        .where('prefix', '=', 'OCOP-96-2024')
        .executeTakeFirstOrThrow();
      assert.equal(sequence.last_value, 3, 'refusals take no number');

      const upgrade = await call(
        'POST',
        '/api/v1/certificates',
        office,
        body(product.honey!, {
          stars: 4,
          decisionNumber: '30/QĐ-UBND',
          decisionDate: '2026-02-20',
          supersedesId: cert.honey1!.id,
        }),
      );
      assert.equal(upgrade.statusCode, 201, upgrade.body);
      cert.honey = upgrade.json();
      assert.equal(cert.honey!.number, 'OCOP-96-2026-00001');
      assert.equal(cert.honey!.supersedesId, cert.honey1!.id);
      assert.equal(cert.honey!.validUntil, '2029-02-20');
      const old = (await call('GET', `/api/v1/certificates/${cert.honey1!.id}`, null)).json();
      assert.deepEqual(
        [old.status, old.supersededById, old.supersededOn],
        ['superseded', cert.honey!.id, '2026-02-20'],
      );
      assert.equal(await productStars(product.honey!), 4);
      assert.equal(
        await count(
          db(),
          'platform.audit_log',
          `action = 'certificate.supersede' and entity_id = '${cert.honey1!.id}'`,
        ),
        1,
      );
    });

    test('explicit numbers are unique per province and level; who may record', async () => {
      const first = await call(
        'POST',
        '/api/v1/certificates',
        office,
        body(product.fish!, { number: 'GCN-125' }),
      );
      assert.equal(first.statusCode, 201, first.body);
      cert.fish = first.json();
      assert.equal(cert.fish!.number, 'GCN-125');
      const before = await certificates();
      const taken = await call(
        'POST',
        '/api/v1/certificates',
        office,
        body(product.old!, { number: 'GCN-125' }),
      );
      assert.equal(taken.statusCode, 409, taken.body);
      assert.equal(taken.json().code, 'certificate_number_taken');
      assert.equal(await certificates(), before);
      // the same number at the central level is another certificate
      const central = await call(
        'POST',
        '/api/v1/certificates',
        office,
        body(product.central!, { number: 'GCN-125', level: 'central', stars: 5, decisionDate: '2025-12-01' }),
      );
      assert.equal(central.statusCode, 201, central.body);
      cert.central = central.json();
      assert.equal(await productStars(product.central!), 5);

      const countBefore = await certificates();
      const auditBefore = await count(db(), 'platform.audit_log');
      const producerTry = await call('POST', '/api/v1/certificates', owner, body(product.honey2!));
      assert.equal(producerTry.statusCode, 403, producerTry.body);
      const anonymous = await call('POST', '/api/v1/certificates', null, body(product.honey2!));
      assert.equal(anonymous.statusCode, 401);
      const elsewhere = await call('POST', '/api/v1/certificates', otherOffice, body(product.honey2!));
      assert.equal(elsewhere.statusCode, 422, elsewhere.body);
      assert.equal(elsewhere.json().code, 'certificate_product_not_found');
      const strangerTry = await call('POST', '/api/v1/certificates', stranger, body(product.honey2!));
      assert.equal(strangerTry.statusCode, 403, strangerTry.body);
      assert.equal(strangerTry.json().code, 'forbidden');
      for (const bad of [
        { ...body(product.honey2!), stars: 'bốn' },
        { ...body(product.honey2!), productId: 'not-a-uuid' },
        { ...body(product.honey2!), decisionDate: '05/02/2024' },
        { ...body(product.honey2!), level: 'commune' },
        { ...body(product.honey2!), colour: 'red' },
        { ...body(product.honey2!), stars: 4.5 },
      ]) {
        const res = await call('POST', '/api/v1/certificates', office, bad);
        assert.equal(res.statusCode, 400, JSON.stringify(bad));
        assert.equal(res.json().code, 'validation_failed');
      }
      const malformed = await call('POST', '/api/v1/certificates', office, '{"productId":', {
        'content-type': 'application/json',
      });
      assert.equal(malformed.statusCode, 400);
      assert.equal(await certificates(), countBefore);
      assert.equal(await count(db(), 'platform.audit_log'), auditBefore);
      assert.equal(await productStars(product.honey2!), null);
    });

    test('revocation: the ground, the date, then revoked with the product’s stars removed; not twice', async () => {
      const url = `/api/v1/certificates/${cert.shrimp!.id}/revocation`;
      const revocation = {
        ground: 'mark_misuse',
        decisionNumber: '77/QĐ-UBND',
        decisionDate: TODAY,
        signer: 'Chủ tịch UBND tỉnh',
        reason: 'Dùng nhãn 5 sao trên bao bì',
      };
      const { ground: _ground, ...noGround } = revocation;
      const missing = await call('POST', url, office, noGround);
      assert.equal(missing.statusCode, 400);
      assert.deepEqual(rulesOf(missing.json()), ['ground:required']);
      const unknown = await call('POST', url, office, { ...revocation, ground: 'bad_weather' });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().code, 'validation_failed');
      const future = await call('POST', url, office, { ...revocation, decisionDate: addDays(TODAY, 1) });
      assert.equal(future.statusCode, 400);
      assert.deepEqual(rulesOf(future.json()), ['decisionDate:notFuture']);
      const early = await call('POST', url, office, { ...revocation, decisionDate: '2024-05-19' });
      assert.equal(early.statusCode, 400);
      assert.deepEqual(rulesOf(early.json()), ['decisionDate:notBeforeIssue']);
      const blank = await call('POST', url, office, { ...revocation, decisionNumber: ' ', signer: '' });
      assert.deepEqual(rulesOf(blank.json()), ['decisionNumber:required', 'signer:required']);
      assert.equal((await call('POST', url, null, revocation)).statusCode, 401);
      assert.equal((await call('POST', url, owner, revocation)).statusCode, 403);
      assert.equal((await call('POST', url, otherOffice, revocation)).statusCode, 403);
      const stale = await call('POST', url, office, { ...revocation, version: 99 });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'certificate_changed');
      const unknownId = await call(
        'POST',
        '/api/v1/certificates/00000000-0000-4000-8000-00000000abcd/revocation',
        office,
        revocation,
      );
      assert.equal(unknownId.statusCode, 404);
      const row = () =>
        db()
          .selectFrom('certification.certificate')
          .selectAll()
          .where('id', '=', cert.shrimp!.id)
          .executeTakeFirstOrThrow();
      assert.equal((await row()).revoked_on, null, 'nothing written by the refusals');
      assert.equal(await count(db(), 'platform.audit_log', `action = 'certificate.revoke'`), 0);

      const ok = await call('POST', url, office, { ...revocation, version: 1 });
      assert.equal(ok.statusCode, 200, ok.body);
      cert.shrimp = ok.json();
      assert.equal(cert.shrimp!.status, 'revoked');
      assert.deepEqual(cert.shrimp!.revocation, {
        on: TODAY,
        ground: 'mark_misuse',
        decisionNumber: '77/QĐ-UBND',
        signer: 'Chủ tịch UBND tỉnh',
        reason: 'Dùng nhãn 5 sao trên bao bì',
      });
      const stored = await row();
      assert.deepEqual(
        [stored.revoked_on, stored.revocation_ground, stored.revocation_decision_number, stored.version],
        [TODAY, 'mark_misuse', '77/QĐ-UBND', 2],
      );
      assert.equal(await productStars(product.shrimp!), null);
      const audited = await sql<{ entity_id: string; diff: unknown }>`
        select entity_id, diff from platform.audit_log where action = 'certificate.revoke'`.execute(db());
      assert.equal(audited.rows.length, 1);
      assert.equal(audited.rows[0]!.entity_id, cert.shrimp!.id);
      assert.match(JSON.stringify(audited.rows[0]!.diff), /mark_misuse/);

      const twice = await call('POST', url, office, revocation);
      assert.equal(twice.statusCode, 409);
      assert.equal(twice.json().code, 'certificate_ended');
      const superseded = await call(
        'POST',
        `/api/v1/certificates/${cert.honey1!.id}/revocation`,
        office,
        revocation,
      );
      assert.equal(superseded.statusCode, 409);
      assert.equal(superseded.json().code, 'certificate_ended');
      assert.equal(await count(db(), 'platform.audit_log', `action = 'certificate.revoke'`), 1);
      // a new certificate may follow a revoked one without superseding anything
      assert.equal(
        (
          await call(
            'POST',
            '/api/v1/certificates',
            office,
            body(product.shrimp!, { stars: 3, decisionDate: TODAY }),
          )
        ).statusCode,
        201,
      );
    });

    test('the verification page: the verdict, JSON-LD, small; revoked, superseded, lookups, 404s', async () => {
      const c = cert.honey!;
      const res = await page(`/verify/${c.id}`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /class="verdict verdict-valid"/);
      assert.ok(res.body.includes(vi('verify.verdict.valid')));
      assert.ok(res.body.includes('Mật ong rừng U Minh'));
      assert.ok(res.body.includes('20/02/2029'));
      assert.ok(res.body.includes(vi('verify.noSignature')), 'no QR signature: a lookup in the register');
      assert.ok(Buffer.byteLength(res.body) < 30 * 1024, `${Buffer.byteLength(res.body)} bytes`);
      assert.match(String(res.headers['cache-control']), /^public/);
      const ld = jsonLdOf(res.body);
      assert.equal(ld['@type'], 'Certification');
      assert.equal(ld.certificationStatus, 'https://schema.org/CertificationActive');
      assert.equal(ld.certificationRating.ratingValue, 4);
      assert.equal(ld.validFrom, '2026-02-20');
      assert.equal(ld.expires, '2029-02-20');
      assert.equal(ld.certificationIdentification, c.number);
      assert.match(ld.issuedBy.name, /^UBND tỉnh Cà Mau$/);
      const en = await page(`/verify/${c.id}?lang=en`);
      assert.equal(en.statusCode, 200);
      assert.match(en.body, />VALID</);

      const revoked = await page(`/verify/${cert.shrimp!.id}`);
      assert.equal(revoked.statusCode, 200);
      assert.ok(revoked.body.includes(vi('verify.verdict.revoked')));
      assert.ok(revoked.body.includes(vi('certificates.ground.mark_misuse')));
      assert.ok(revoked.body.includes(vn(TODAY)));
      assert.ok(!revoked.body.includes(vi('verify.verdict.valid')));
      assert.equal(jsonLdOf(revoked.body).certificationStatus, 'https://schema.org/CertificationInactive');
      const old = await page(`/verify/${cert.honey1!.id}`);
      assert.ok(old.body.includes(vi('verify.verdict.superseded')));
      assert.ok(old.body.includes(`/verify/${c.id}`), 'links to the current certificate');

      const byNumber = await page(`/verify/${c.number}`);
      assert.equal(byNumber.statusCode, 200);
      assert.ok(byNumber.body.includes(vi('verify.verdict.valid')));
      assert.equal(jsonLdOf(byNumber.body)['@id'], `http://localhost:3000/verify/${c.id}`);
      const lower = await page(`/verify/${c.number.toLowerCase()}`);
      assert.equal(lower.statusCode, 200, 'numbers are matched without regard to case');
      const query = await page(`/verify?q=${encodeURIComponent(c.number)}`);
      assert.equal(query.statusCode, 200);
      assert.ok(query.body.includes(`href="/verify/${c.id}"`));
      const plain = await page(`/verify?q=${encodeURIComponent('mat ong rung u minh')}`);
      assert.equal(plain.statusCode, 200);
      assert.ok(plain.body.includes(`href="/verify/${c.id}"`), 'the name without diacritics finds it');
      assert.ok(
        plain.body.indexOf(`/verify/${c.id}`) < plain.body.indexOf(`/verify/${cert.honey1!.id}`),
        'the current certificate first',
      );
      // one number, two certificates (province and central)
      const several = await page('/verify/GCN-125');
      assert.equal(several.statusCode, 200);
      assert.ok(
        several.body.includes(`/verify/${cert.fish!.id}`) &&
          several.body.includes(`/verify/${cert.central!.id}`),
      );

      const unknown = await page('/verify/OCOP-96-2024-99999');
      assert.equal(unknown.statusCode, 404);
      assert.ok(unknown.body.includes('OCOP-96-2024-99999'));
      const noQuery = await page('/verify?q=khong-co-gi-ca-xyz');
      assert.equal(noQuery.statusCode, 200);
      assert.match(noQuery.body, /verdict-bad/);
      const uuid = await page('/verify/00000000-0000-4000-8000-00000000abcd');
      assert.equal(uuid.statusCode, 404);
    });

    test('a number written the provinces’ way (with a slash) is found; a name with markup stays text', async () => {
      const res = await call(
        'POST',
        '/api/v1/certificates',
        office,
        body(product.markup!, { number: '125/GCN-UBND', decisionDate: '2025-01-02' }),
      );
      assert.equal(res.statusCode, 201, res.body);
      const c = res.json() as Certificate;
      const query = await page(`/verify?q=${encodeURIComponent('125/gcn-ubnd')}`);
      assert.equal(query.statusCode, 200);
      assert.ok(query.body.includes(`href="/verify/${c.id}"`));
      const verdict = await page(`/verify/${c.id}`);
      assert.equal(verdict.statusCode, 200);
      assert.ok(!verdict.body.includes('<b>x</b>'), 'the name is escaped');
      assert.equal(
        (verdict.body.match(/<\/script>/g) ?? []).length,
        1,
        'only the JSON-LD block closes a script',
      );
      const ld = jsonLdOf(verdict.body) as unknown as { about: { name: string } };
      assert.equal(ld.about.name, 'Mắm "Bà Ba" <đặc biệt> & </script><b>x</b>');
      const csv = await call('GET', '/open-data/certificates.csv', null);
      assert.ok(csv.body.includes('"Mắm ""Bà Ba"" <đặc biệt> & </script><b>x</b>"'), 'quoted as CSV');
    });

    test('the signed QR: authentic; any change of it forged; verified offline with the published keys; rotation', async () => {
      const c = cert.honey!;
      const claim = { id: c.id, stars: c.stars, issuedOn: c.issuedOn, validUntil: c.validUntil };
      const signed = new URL(await app.certification.keys.signedUrl(claim));
      assert.equal(signed.origin, 'http://localhost:3000');
      assert.equal(signed.pathname, `/verify/${c.id}`);
      const path = `${signed.pathname}${signed.search}`;
      const good = await page(path);
      assert.equal(good.statusCode, 200);
      assert.ok(good.body.includes(vi('verify.authentic')));
      assert.ok(good.body.includes(vi('verify.verdict.valid')));
      assert.match(good.body, /class="verdict verdict-valid"/);

      const forged = async (label: string, change: (p: URLSearchParams) => void) => {
        const params = new URLSearchParams(signed.search);
        change(params);
        const res = await page(`${signed.pathname}?${params}`);
        assert.equal(res.statusCode, 200, label);
        assert.match(res.body, /class="verdict verdict-forged"/, label);
        assert.ok(res.body.includes(vi('verify.verdict.forged')), label);
        assert.ok(!res.body.includes(vi('verify.verdict.valid')), `${label}: never the valid headline`);
        assert.ok(!res.body.includes(vi('verify.authentic')), label);
      };
      const sig = signed.searchParams.get('sig')!;
      const swap = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
      await forged('one character of sig', (p) => p.set('sig', swap(sig, 10)));
      await forged('the last character of sig', (p) => p.set('sig', swap(sig, sig.length - 1)));
      await forged('stars', (p) => p.set('st', '5'));
      await forged('end date', (p) => p.set('vu', '20300220'));
      await forged('unknown key', (p) => p.set('k', 'k20990101-ffffff'));
      await forged('malformed sig', (p) => p.set('sig', 'not-a-signature'));
      await forged('no sig', (p) => p.delete('sig'));
      // a signature of another certificate on this one's page
      const other = new URL(
        await app.certification.keys.signedUrl({
          id: cert.fish!.id,
          stars: cert.fish!.stars,
          issuedOn: cert.fish!.issuedOn,
          validUntil: cert.fish!.validUntil,
        }),
      );
      const borrowed = await page(`/verify/${c.id}${other.search}`);
      assert.match(borrowed.body, /verdict-forged/);
      // the signed URL of a revoked certificate is authentic, and says revoked
      const revokedUrl = new URL(
        await app.certification.keys.signedUrl({
          id: cert.shrimp!.id,
          stars: cert.shrimp!.stars,
          issuedOn: cert.shrimp!.issuedOn,
          validUntil: cert.shrimp!.validUntil,
        }),
      );
      const revoked = await page(`${revokedUrl.pathname}${revokedUrl.search}`);
      assert.ok(revoked.body.includes(vi('verify.authentic')));
      assert.ok(revoked.body.includes(vi('verify.verdict.revoked')));

      // offline: only the published JSON and node:crypto
      const offline = async (url: URL) => {
        const res = await call('GET', '/.well-known/ocop-keys.json', null);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['access-control-allow-origin'], '*');
        const published = res.json() as { message: string; keys: Record<string, string>[] };
        const jwk = published.keys.find((k) => k.kid === url.searchParams.get('k'));
        if (!jwk) return false;
        const compact = (s: string) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
        const message = published.message
          .replace('{id}', url.pathname.split('/').at(-1)!)
          .replace('{stars}', url.searchParams.get('st')!)
          .replace('{issuedOn YYYY-MM-DD}', compact(url.searchParams.get('vf')!))
          .replace('{validUntil YYYY-MM-DD}', compact(url.searchParams.get('vu')!));
        assert.doesNotMatch(message, /[{}]/, 'every part of the message was filled in');
        const key = createPublicKey({ key: jwk, format: 'jwk' });
        return verify(
          null,
          Buffer.from(message, 'utf8'),
          key,
          Buffer.from(url.searchParams.get('sig')!, 'base64url'),
        );
      };
      assert.equal(await offline(signed), true);
      const tampered = new URL(signed);
      tampered.searchParams.set('st', '5');
      assert.equal(await offline(tampered), false);
      const before = (await call('GET', '/.well-known/ocop-keys.json', null)).json();
      assert.equal(before.keys.length, 1);
      assert.equal(before.keys[0].status, 'active');
      assert.equal(before.keys[0].kid, signed.searchParams.get('k'));
      assert.equal(JSON.stringify(before).includes('private'), false, 'no private half published');

      // rotation: the old key is retired, still published, and what it signed still verifies
      const newKid = await app.certification.keys.rotate(SYSTEM);
      const rotated = (await call('GET', '/.well-known/ocop-keys.json', null)).json();
      assert.equal(rotated.keys.length, 2);
      assert.deepEqual(
        rotated.keys.map((k: { kid: string; status: string }) => [k.kid, k.status]),
        [
          [signed.searchParams.get('k'), 'retired'],
          [newKid, 'active'],
        ],
      );
      assert.equal(await offline(signed), true);
      const stillGood = await page(path);
      assert.ok(stillGood.body.includes(vi('verify.authentic')));
      const fresh = new URL(await app.certification.keys.signedUrl(claim));
      assert.equal(fresh.searchParams.get('k'), newKid);
      assert.notEqual(fresh.searchParams.get('sig'), sig);
      assert.equal(await offline(fresh), true);
      assert.ok((await page(`${fresh.pathname}${fresh.search}`)).body.includes(vi('verify.authentic')));
      assert.equal(
        await count(db(), 'platform.audit_log', `action = 'certificate.signing_key.rotate'`),
        2,
        'the first key and the rotation',
      );
    });

    test('the printable PDF and the OCOP mark: for the office and the producer, not for others', async () => {
      const c = cert.honey!;
      for (const agent of [admin, office, owner]) {
        const pdf = await call('GET', `/certificates/${c.id}/certificate.pdf`, agent);
        assert.equal(pdf.statusCode, 200, pdf.body.slice(0, 200));
        assert.equal(pdf.headers['content-type'], 'application/pdf');
        assert.equal(pdf.rawPayload.subarray(0, 4).toString('latin1'), '%PDF');
        assert.match(String(pdf.headers['cache-control']), /no-store/);
      }
      const anonymous = await call('GET', `/certificates/${c.id}/certificate.pdf`, null);
      assert.equal(anonymous.statusCode, 401);
      const strangerPdf = await call('GET', `/certificates/${c.id}/certificate.pdf`, stranger);
      assert.equal(strangerPdf.statusCode, 403);
      assert.equal((await call('GET', `/certificates/${c.id}/certificate.pdf`, otherOffice)).statusCode, 403);
      const missing = await call(
        'GET',
        '/certificates/00000000-0000-4000-8000-00000000abcd/certificate.pdf',
        admin,
      );
      assert.equal(missing.statusCode, 404);

      const mark = await call('GET', `/certificates/${c.id}/mark.svg`, owner);
      assert.equal(mark.statusCode, 200, mark.body.slice(0, 300));
      assert.match(String(mark.headers['content-type']), /^image\/svg\+xml/);
      assert.equal(mark.body.match(/class="star"/g)?.length, 4);
      assert.equal((await call('GET', `/certificates/${c.id}/mark.svg`, stranger)).statusCode, 403);
      assert.equal((await call('GET', `/certificates/${c.id}/mark.svg`, null)).statusCode, 401);
      const central = await call('GET', `/certificates/${cert.central!.id}/mark.svg`, admin);
      assert.equal(central.body.match(/class="star"/g)?.length, 5);
      for (const ended of [cert.shrimp!, cert.honey1!, cert.crab!]) {
        const res = await call('GET', `/certificates/${ended.id}/mark.svg`, admin);
        assert.equal(res.statusCode, 409, ended.number);
        assert.equal(res.json().code, 'certificate_not_in_force');
      }
      // the printed certificate of an ended one is still there (history)
      assert.equal(
        (await call('GET', `/certificates/${cert.shrimp!.id}/certificate.pdf`, admin)).statusCode,
        200,
      );
    });

    test('open data: CSV (BOM, header, one row per certificate not superseded, no personal data) and JSON-LD', async () => {
      const csv = await call('GET', '/open-data/certificates.csv', null);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(String(csv.headers['cache-control']), /^public/);
      assert.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf', 'a BOM for Excel');
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      const header = lines[0]!.split(/[,;]/);
      for (const column of ['number', 'status', 'product', 'producer', 'stars', 'valid_until', 'url'])
        assert.ok(header.includes(column), column);
      for (const word of ['email', 'phone', 'signer', 'address', 'registration'])
        assert.ok(!header.some((h) => h.includes(word)), `no ${word} column`);
      const notSuperseded = await count(db(), 'certification.certificate', 'superseded_by_id is null');
      assert.equal(lines.length - 1, notSuperseded);
      assert.ok(!csv.body.includes(cert.honey1!.number), 'the superseded one is left out');
      const rowOf = (number: string) =>
        lines.find((l) => l.startsWith(`${number}`) || l.includes(`"${number}"`));
      assert.match(rowOf(cert.honey!.number)!, /valid/);
      assert.match(rowOf(cert.shrimp!.number)!, /revoked.*mark_misuse/);
      assert.match(rowOf(cert.crab!.number)!, /expired/);
      assert.ok(!csv.body.includes('Lê Văn Ký') && !csv.body.includes('Chủ tịch UBND tỉnh'), 'no signer');

      const ld = await call('GET', '/open-data/certificates.jsonld', null);
      assert.equal(ld.statusCode, 200);
      assert.match(String(ld.headers['content-type']), /^application\/ld\+json/);
      const dataset = ld.json();
      assert.equal(dataset['@type'], 'Dataset');
      assert.equal(dataset.hasPart.length, notSuperseded);
      for (const part of dataset.hasPart) assert.equal(part['@type'], 'Certification');
      const honey = dataset.hasPart.find(
        (p: { certificationIdentification: string }) => p.certificationIdentification === cert.honey!.number,
      );
      assert.equal(honey.certificationStatus, 'https://schema.org/CertificationActive');

      // a revocation shows at once (the cache keys on writes)
      const revoke = await call('POST', `/api/v1/certificates/${cert.fish!.id}/revocation`, office, {
        ground: 'production_stopped',
        decisionNumber: '80/QĐ-UBND',
        decisionDate: TODAY,
        signer: 'Chủ tịch UBND tỉnh',
      });
      assert.equal(revoke.statusCode, 200, revoke.body);
      cert.fish = revoke.json();
      const after = await call('GET', '/open-data/certificates.csv', null);
      const fishRow = after.body
        .split(/\r?\n/)
        .find((l) => l.startsWith('GCN-125') && l.includes('Khô cá bổi'));
      assert.match(fishRow!, /revoked.*production_stopped/);
      const afterLd = (await call('GET', '/open-data/certificates.jsonld', null)).json();
      const fish = afterLd.hasPart.find((p: { '@id': string }) => p['@id'].endsWith(cert.fish!.id));
      assert.equal(fish.certificationStatus, 'https://schema.org/CertificationInactive');
    });

    test('the list API: filters agree with the statuses, bad words refused, pages continue without overlap', async () => {
      // one ending within 90 days, one long expired
      const soon = await call(
        'POST',
        '/api/v1/certificates',
        office,
        body(product.old!, { decisionDate: '2023-04-15', stars: 4 }),
      );
      assert.equal(soon.statusCode, 201, soon.body);
      assert.equal(soon.json().validUntil, '2026-04-15');
      for (const key of ['honey2', 'honey3'])
        assert.equal(
          (
            await call(
              'POST',
              '/api/v1/certificates',
              office,
              body(product[key]!, { decisionDate: '2025-06-01' }),
            )
          ).statusCode,
          201,
        );
      const everything = (await call('GET', '/api/v1/certificates?limit=200', null)).json();
      assert.equal(everything.day, TODAY);
      const all = everything.items as Certificate[];
      assert.equal(all.length, await certificates());
      const ids = (items: Certificate[]) => items.map((c) => c.id).sort();
      const check = async (query: string, keep: (c: Certificate) => boolean) => {
        const res = await call('GET', `/api/v1/certificates?limit=200&${query}`, null);
        assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
        const expected = ids(all.filter(keep));
        assert.deepEqual(ids(res.json().items), expected, query);
        return expected.length;
      };
      assert.ok((await check('status=valid,expired', (c) => ['valid', 'expired'].includes(c.status))) >= 5);
      assert.ok((await check('stars=4', (c) => c.stars === 4)) >= 3);
      assert.equal(await check('communeCode=32002', () => true), all.length);
      assert.equal(await check('communeCode=32001', () => false), 0);
      assert.equal(await check('provinceCode=01', () => false), 0);
      assert.equal(
        await check(
          'expiringWithinDays=90',
          (c) => IN_FORCE.includes(c.status) && c.validUntil <= addDays(TODAY, 90),
        ),
        1,
      );
      assert.ok(
        (await check(
          'status=valid,expired&stars=4&communeCode=32002&expiringWithinDays=90&q=mam%20ba%20khia',
          (c) => c.productId === product.old! && c.status === 'valid',
        )) === 1,
      );
      await check(`productId=${product.honey}`, (c) => c.productId === product.honey);
      await check(`q=${encodeURIComponent(cert.honey!.number)}`, (c) => c.id === cert.honey!.id);
      await check('q=mat%20ong', (c) => c.productName.startsWith('Mật ong'));

      for (const bad of [
        'status=valid,unknown',
        'status=VALID',
        'status=',
        'stars=6',
        'expiringWithinDays=-1',
        'communeCode=1',
        'colour=red',
        'cursor=nonsense',
      ]) {
        const res = await call('GET', `/api/v1/certificates?${bad}`, null);
        assert.equal(res.statusCode, 400, bad);
        assert.equal(res.json().code, 'validation_failed', bad);
      }

      // paging by 2: every certificate once, in order of the last day in force
      const walk = async (query: string) => {
        const seen: Certificate[] = [];
        let url = `/api/v1/certificates?limit=2${query}`;
        for (let pages = 0; pages < 50; pages++) {
          const res = (await call('GET', url, null)).json();
          assert.ok(res.items.length <= 2);
          seen.push(...res.items);
          if (!res.nextCursor) return seen;
          url = `/api/v1/certificates?limit=2${query}&cursor=${res.nextCursor}`;
        }
        throw new Error('too many pages');
      };
      const walked = await walk('');
      assert.equal(new Set(walked.map((c) => c.id)).size, walked.length, 'no certificate twice');
      assert.deepEqual(
        walked.map((c) => c.id),
        [...all]
          .sort((a, b) => a.validUntil.localeCompare(b.validUntil) || a.id.localeCompare(b.id))
          .map((c) => c.id),
      );
      // a search with a typo finds by closeness, and its next pages stay close searches
      const typo = await walk(`&q=${encodeURIComponent('mat ongg')}`);
      const honey = all.filter((c) => c.productName.startsWith('Mật ong')).length;
      assert.ok(honey >= 4);
      assert.equal(typo.length, honey, typo.map((c) => c.productName).join(', '));
    });

    test('the pages: the register, one certificate with its history, the queue (for the office)', async () => {
      const list = await page('/certificates?status=valid');
      assert.equal(list.statusCode, 200);
      assert.ok(list.body.includes(cert.honey!.number));
      assert.ok(!list.body.includes(cert.shrimp!.number));
      const one = await page(`/certificates/${cert.honey!.id}`, office);
      assert.equal(one.statusCode, 200);
      assert.ok(one.body.includes(cert.honey1!.number), 'the history');
      const queue = await page('/certificates/re-evaluation', office);
      assert.equal(queue.statusCode, 200);
      assert.equal((await page('/certificates/re-evaluation', owner)).statusCode, 403);
    });

    test('moving the clock: past the end date the page says expired since the next day, and no mark', async () => {
      const c = cert.honey!;
      try {
        clock = at(addDays(c.validUntil, 1));
        const res = await page(`/verify/${c.id}`);
        assert.equal(res.statusCode, 200);
        assert.ok(res.body.includes(vi('verify.verdict.expired')));
        assert.ok(res.body.includes(vn(addDays(c.validUntil, 1))), 'expired since 21/02/2029');
        assert.match(res.body, /class="verdict verdict-expired"/);
        assert.equal(jsonLdOf(res.body).certificationStatus, 'https://schema.org/CertificationInactive');
        const mark = await call('GET', `/certificates/${c.id}/mark.svg`, owner);
        assert.equal(mark.statusCode, 409);
        assert.equal(mark.json().code, 'certificate_not_in_force');
        assert.equal(mark.json().params.status, 'expired');
        // the last day in force is still valid
        clock = at(c.validUntil);
        assert.ok((await page(`/verify/${c.id}`)).body.includes(vi('verify.verdict.valid')));
        assert.equal((await call('GET', `/certificates/${c.id}/mark.svg`, owner)).statusCode, 200);
        // before its issue date (the clock set back) it is not yet valid
        clock = at(addDays(c.issuedOn, -1));
        assert.ok((await page(`/verify/${c.id}`)).body.includes(vi('verify.verdict.not_yet_valid')));
      } finally {
        clock = at(TODAY);
      }
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe(`the daily job: reminders to the producer and the office, once each (${engine})`, () => {
    let app: TestApp;
    let clock = at('2024-01-01');
    const db = () => app.database.db;
    const NAME = 'Khô cá lóc Rạch Gốc';
    const OLD = 'Mắm tôm chua 2019';
    const LATE = 'Bánh phồng tôm Năm Căn';
    const V1 = '2026-12-01';
    const V3 = addDays(V1, -15);
    const ids: Record<string, string> = {};
    const productIds: Record<string, string> = {};
    let producerId: string;

    const mails = async (product: string) =>
      (
        await db()
          .selectFrom('platform.outbox')
          .select(['to_address', 'subject', 'body_text'])
          .where('subject', 'like', `%${product}%`)
          .orderBy('created_at')
          .execute()
      ).map((m) => ({ to: m.to_address, subject: m.subject, body: m.body_text }));
    const reminders = (id: string) => app.certification.reminders.of(id);
    const run = async (day: string) => {
      clock = at(day);
      return app.certification.reminders.run(SYSTEM);
    };
    const record = async (productId: string, issuedOn: string) =>
      (
        await app.certification.certificates.create(SYSTEM, ADMIN, {
          productId,
          level: 'province',
          stars: 4,
          decisionNumber: `${issuedOn}/QĐ-UBND`,
          decisionDate: issuedOn,
          decisionSigner: 'Lê Văn Ký',
        })
      ).id;

    before(async () => {
      app = await startTestApp(engine, { now: () => clock });
      const producer = await createProducer(app, { legalName: 'HTX Khô cá Rạch Gốc' });
      producerId = producer.id;
      for (const [key, name] of [
        ['main', NAME],
        ['old', OLD],
        ['late', LATE],
      ] as const)
        productIds[key] = (
          await app.products.products.create(SYSTEM, ADMIN, { producerId, name, productSet: 8 })
        ).id;
      await signIn(app, { email: 'chuthe@khoca.vn', role: 'producer', producerId });
      await signIn(app, { email: 'vanphong@ocop96.vn', role: 'province_office', scopeCode: '96' });
      // someone of another province hears nothing
      await signIn(app, { email: 'vanphong@ocop01.vn', role: 'province_office', scopeCode: '01' });
      ids.main = await record(productIds.main!, '2023-12-01');
      clock = at('2024-01-01');
      ids.old = await record(productIds.old!, '2019-05-01');
    });
    after(() => app?.close());

    test('before the window nothing is sent; a certificate of 2019 has its reminders recorded, unsent', async () => {
      const result = await run(addDays(V1, -181));
      assert.equal(result.mails, 0);
      assert.deepEqual(await reminders(ids.main!), []);
      const old = await reminders(ids.old!);
      assert.deepEqual(
        old.map((r) => [r.kind, r.sent, r.recordedOn]),
        [
          ['window_open', false, addDays(V1, -181)],
          ['window_150', false, addDays(V1, -181)],
          ['window_close', false, addDays(V1, -181)],
          ['expired', false, addDays(V1, -181)],
        ],
      );
      assert.equal(old.at(-1)!.dueOn, '2022-05-02');
      assert.deepEqual(await mails(OLD), []);
      assert.equal(await count(db(), 'certification.daily_run'), 1);
    });

    test('the window opens: one mail each to the producer and the office; a second run sends nothing', async () => {
      const day = addDays(V1, -180);
      const result = await run(day);
      assert.equal(result.remindersSent, 1);
      assert.equal(result.mails, 2);
      const sent = await mails(NAME);
      assert.deepEqual(sent.map((m) => m.to).sort(), ['chuthe@khoca.vn', 'vanphong@ocop96.vn']);
      for (const m of sent) {
        assert.match(m.subject, /mở thời hạn nộp hồ sơ phân hạng lại/);
        assert.ok(m.subject.includes('OCOP-96-2023-00001'));
        assert.ok(m.body.includes(vn(V1)));
        assert.ok(m.body.includes(`http://localhost:3000/certificates/${ids.main}`));
      }
      assert.deepEqual(
        (await reminders(ids.main!)).map((r) => [r.kind, r.sent, r.dueOn, r.recordedOn]),
        [['window_open', true, day, day]],
      );
      const outbox = await count(db(), 'platform.outbox');
      const again = await run(day);
      assert.deepEqual([again.recorded, again.mails, again.remindersSent], [0, 0, 0]);
      assert.equal(await count(db(), 'platform.outbox'), outbox, 'idempotent');
      assert.equal(await count(db(), 'certification.reminder', `certificate_id = '${ids.main}'`), 1);
      const runs = await db()
        .selectFrom('certification.daily_run')
        .selectAll()
        .where('run_on', '=', day)
        .execute();
      assert.equal(runs.length, 1);
      assert.equal(runs[0]!.reminders_sent, 1);
      assert.equal(
        await count(
          db(),
          'platform.audit_log',
          `action = 'certificate.reminder.window_open' and entity_id = '${ids.main}'`,
        ),
        1,
      );
    });

    test('150 days before: the second reminder', async () => {
      const result = await run(addDays(V1, -150));
      assert.equal(result.mails, 2);
      const sent = await mails(NAME);
      assert.equal(sent.length, 4);
      assert.match(sent.at(-1)!.subject, /nhắc nộp hồ sơ phân hạng lại/);
      assert.ok(sent.at(-1)!.body.includes(vn(addDays(V1, -120))), 'the last day to file');
    });

    test('a closing reminder 20 days late is still sent; one 35 days late is recorded only', async () => {
      const day = addDays(V1, -100);
      clock = at(day);
      // recorded today, in force 36 months from 16/11/2023: its window closed 35 days ago
      ids.late = await record(productIds.late!, '2023-11-16');
      assert.equal((await app.certification.certificates.get(ids.late!)).validUntil, V3);
      const result = await run(day);
      assert.equal(result.remindersSent, 1);
      const sent = await mails(NAME);
      assert.equal(sent.length, 6);
      assert.match(sent.at(-1)!.subject, /hết thời hạn nộp hồ sơ phân hạng lại/);
      assert.deepEqual(
        (await reminders(ids.main!)).map((r) => [r.kind, r.sent]),
        [
          ['window_open', true],
          ['window_150', true],
          ['window_close', true],
        ],
      );
      assert.deepEqual(
        (await reminders(ids.late!)).map((r) => [r.kind, r.sent]),
        [
          ['window_open', false],
          ['window_150', false],
          ['window_close', false],
        ],
      );
      assert.deepEqual(await mails(LATE), []);
    });

    test('the day after the end date: "expired" to both, and the product loses its stars', async () => {
      const stars = () =>
        db()
          .selectFrom('products.product')
          .select('stars')
          .where('id', '=', productIds.main!)
          .executeTakeFirstOrThrow();
      assert.equal((await stars()).stars, 4);
      const day = addDays(V1, 1);
      const result = await run(day);
      assert.ok(result.productsUpdated >= 2, 'both products that expired lost their stars');
      const sent = await mails(NAME);
      assert.equal(sent.length, 8);
      for (const m of sent.slice(-2)) {
        assert.match(m.subject, /đã hết hiệu lực/);
        assert.ok(m.body.includes(vn(day)));
      }
      assert.equal((await stars()).stars, null);
      // the late one's expiry was 15 days ago: sent
      const late = await mails(LATE);
      assert.equal(late.length, 2);
      assert.match(late[0]!.subject, /đã hết hiệu lực/);
      assert.deepEqual((await reminders(ids.late!)).at(-1), {
        kind: 'expired',
        sent: true,
        dueOn: addDays(V3, 1),
        recordedOn: day,
      });
      // nothing to the office of another province; nothing more for the 2019 one
      assert.equal(await count(db(), 'platform.outbox', `to_address = 'vanphong@ocop01.vn'`), 0);
      assert.deepEqual(await mails(OLD), []);
      const runs = await db()
        .selectFrom('certification.daily_run')
        .select('run_on')
        .orderBy('run_on')
        .execute();
      assert.deepEqual(
        runs.map((r) => r.run_on),
        [addDays(V1, -181), addDays(V1, -180), addDays(V1, -150), addDays(V1, -100), day],
      );
      assert.equal((await app.certification.reminders.lastRun())?.run_on, day);
      // and again the next day: nothing new
      const next = await run(addDays(day, 1));
      assert.deepEqual([next.recorded, next.mails], [0, 0]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe(`a re-evaluation filed in time keeps the certificate in force (${engine})`, () => {
    let app: TestApp;
    const WINDOW_DAY = '2026-08-01';
    let clock = at(WINDOW_DAY);
    const call = requester(() => app);
    const V = '2027-01-10';
    const product: Record<string, string> = {};
    const cert: Record<string, string> = {};
    const dossier: Record<string, string> = {};
    const get = (key: string) => app.certification.certificates.get(cert[key]!);
    const stars = async (key: string) =>
      (
        await app.database.db
          .selectFrom('products.product')
          .select('stars')
          .where('id', '=', product[key]!)
          .executeTakeFirstOrThrow()
      ).stars;
    const page = (url: string) => call('GET', url, null, undefined, { accept: 'text/html' });

    before(async () => {
      app = await startTestApp(engine, { now: () => clock });
      const producer = await createProducer(app, { legalName: 'HTX Ong mật U Minh Hạ' });
      await signIn(app, { email: 'ocop@tinh96.vn', role: 'province_office', scopeCode: '96' });
      for (const [key, name] of [
        ['kept', 'Mật ong U Minh Hạ'],
        ['withdrawn', 'Mật ong tràm gió'],
        ['closed', 'Sáp ong U Minh'],
        ['refiled', 'Phấn hoa U Minh'],
      ] as const) {
        product[key] = (
          await app.products.products.create(SYSTEM, ADMIN, { producerId: producer.id, name, productSet: 8 })
        ).id;
        cert[key] = (
          await app.certification.certificates.create(SYSTEM, ADMIN, {
            productId: product[key]!,
            level: 'province',
            stars: 4,
            decisionNumber: '10/QĐ-UBND',
            decisionDate: '2024-01-10',
            decisionSigner: 'Lê Văn Ký',
          })
        ).id;
      }
    });
    after(() => app?.close());

    test('filing the dossier (the producer’s submit) marks the certificate; window reminders stop', async () => {
      const before = await get('kept');
      assert.deepEqual(
        [before.validUntil, before.status, before.reevaluation],
        [V, 'reevaluation_window', null],
      );
      for (const key of ['kept', 'withdrawn', 'closed', 'refiled'])
        dossier[key] = (
          await forwardedDossier(app, { name: '', kind: 're_evaluation', productId: product[key]! })
        ).dossierId;
      const after = await get('kept');
      assert.deepEqual(after.reevaluation, { dossierId: dossier.kept, filedOn: WINDOW_DAY, endedOn: null });
      assert.equal(after.status, 'reevaluation_window');
      assert.equal(
        await count(app.database.db, 'platform.audit_log', `action = 'certificate.reevaluation_filed'`),
        4,
      );
      clock = at(addDays(V, -150));
      await app.certification.reminders.run(SYSTEM);
      const reminders = await app.certification.reminders.of(cert.kept!);
      assert.deepEqual(
        reminders.map((r) => [r.kind, r.sent]),
        [
          ['window_open', false],
          ['window_150', false],
        ],
        'a re-evaluation is filed: no window reminders',
      );
      // (the dossier's own notices mention the product too: the reminders name the certificate)
      assert.equal(
        await count(app.database.db, 'platform.outbox', `subject like '%Mật ong U Minh Hạ (GCN %'`),
        0,
      );
    });

    test('withdrawing or closing the dossier without a new certificate ends the re-evaluation', async () => {
      clock = at('2026-08-20');
      await app.products.dossiers.act(SYSTEM, ADMIN, dossier.withdrawn!, 'return', {
        comment: 'Thiếu phiếu kiểm nghiệm',
      });
      assert.equal((await get('withdrawn')).reevaluation?.endedOn, null, 'returned is not ended');
      await app.products.dossiers.act(SYSTEM, ADMIN, dossier.withdrawn!, 'withdraw');
      assert.deepEqual((await get('withdrawn')).reevaluation, {
        dossierId: dossier.withdrawn,
        filedOn: WINDOW_DAY,
        endedOn: '2026-08-20',
      });
      await app.products.dossiers.act(SYSTEM, ADMIN, dossier.closed!, 'accept');
      await app.products.dossiers.act(SYSTEM, ADMIN, dossier.closed!, 'close');
      assert.equal((await get('closed')).reevaluation?.endedOn, '2026-08-20');
      assert.equal(
        await count(app.database.db, 'platform.audit_log', `action = 'certificate.reevaluation_ended'`),
        2,
      );
      // the kept one is untouched
      assert.equal((await get('kept')).reevaluation?.endedOn, null);
    });

    test('a new re-evaluation filed after a withdrawn one counts again', async () => {
      clock = at('2026-08-20');
      await app.products.dossiers.act(SYSTEM, ADMIN, dossier.refiled!, 'return', { comment: 'Bổ sung' });
      await app.products.dossiers.act(SYSTEM, ADMIN, dossier.refiled!, 'withdraw');
      assert.equal((await get('refiled')).reevaluation?.endedOn, '2026-08-20');
      clock = at('2026-09-01');
      const again = await forwardedDossier(app, {
        name: '',
        kind: 're_evaluation',
        productId: product.refiled!,
      });
      assert.deepEqual((await get('refiled')).reevaluation, {
        dossierId: again.dossierId,
        filedOn: '2026-09-01',
        endedOn: null,
      });
    });

    test('past the end date: still in force while pending, with stars; expired after 180 days', async () => {
      const pending = addDays(V, 10);
      clock = at(pending);
      const kept = await get('kept');
      assert.equal(kept.status, 'valid_pending_reevaluation');
      assert.equal(kept.statusUntil, addDays(V, 180));
      assert.equal((await get('refiled')).status, 'valid_pending_reevaluation');
      assert.equal(
        (await get('withdrawn')).status,
        'expired',
        'its re-evaluation ended: expired the day after',
      );
      assert.equal((await get('withdrawn')).statusSince, addDays(V, 1));
      assert.equal((await get('closed')).status, 'expired');
      await app.certification.reminders.run(SYSTEM);
      assert.equal(await stars('kept'), 4);
      assert.equal(await stars('refiled'), 4);
      assert.equal(await stars('withdrawn'), null);
      assert.equal(await stars('closed'), null);
      const verify = await page(`/verify/${cert.kept}`);
      assert.equal(verify.statusCode, 200);
      assert.ok(verify.body.includes(vi('verify.verdict.valid')));
      assert.ok(verify.body.includes('đã nộp hồ sơ phân hạng lại đúng hạn'));
      assert.ok(verify.body.includes(vn(addDays(V, 180))), 'in force at the latest through 09/07/2027');
      const ld = jsonLdOf(verify.body);
      assert.equal(ld.certificationStatus, 'https://schema.org/CertificationActive');
      assert.equal(ld.expires, addDays(V, 180));
      const listed = await app.certification.certificates.list({ status: ['valid_pending_reevaluation'] });
      assert.deepEqual(listed.items.map((c) => c.id).sort(), [cert.kept!, cert.refiled!].sort());
      const mark = await call('GET', `/certificates/${cert.kept}/mark.svg`, null);
      assert.equal(mark.statusCode, 401, 'still a mark for it, for those who may print it');

      const gone = addDays(V, 181);
      clock = at(gone);
      assert.equal((await get('kept')).status, 'expired');
      assert.equal((await get('kept')).statusSince, gone);
      assert.equal(await stars('kept'), 4, 'the projection waits for the daily job');
      await app.certification.reminders.run(SYSTEM);
      assert.equal(await stars('kept'), null);
      const expired = await page(`/verify/${cert.kept}`);
      assert.ok(expired.body.includes(vi('verify.verdict.expired')));
      assert.ok(expired.body.includes(vn(gone)));
      // the expiry reminder is sent even though a re-evaluation was filed
      assert.deepEqual((await app.certification.reminders.of(cert.kept!)).at(-1), {
        kind: 'expired',
        sent: true,
        dueOn: gone,
        recordedOn: gone,
      });
      const mail = await count(
        app.database.db,
        'platform.outbox',
        `subject like '%đã hết hiệu lực%' and subject like '%Mật ong U Minh Hạ%' and to_address = 'ocop@tinh96.vn'`,
      );
      assert.equal(mail, 1);
    });
  });
}
