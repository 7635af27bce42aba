/**
 * The role × route matrix: for every route the platform serves, the status each role gets.
 * A route missing from the table fails the test, so every new route must say who may use it.
 * "login" = a page that sends the visitor to the sign-in page (303 to /login?next=…).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createProducer, signIn, startTestApp, type TestApp } from './support/app.ts';
import { dropOwnTemplates, testEngines } from './support/db.ts';
import { samplePng } from './support/files.ts';

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
  /** A producer of commune 32002, kept by the matrix's producer account. */
  producerId: string;
  /** Its product (not recognised), with one image. */
  productId: string;
  imageId: string;
  /** The product's draft dossier. */
  dossierId: string;
  /** A commune officer of Cà Mau (31825) that the offices may manage. */
  targetUserId: string;
  /** A new pending sign-up in commune 32002 (Cà Mau). */
  pendingRegistration(): Promise<string>;
  /** A planned evaluation round of Cà Mau, without council or dossiers. */
  roundId: string;
  /** A valid 4★ certificate of another producer's product (same commune). */
  certificateId: string;
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
let registrationSeq = 0;
const newProducer = () => ({
  legalType: 'cooperative',
  legalName: 'HTX Ma Trận',
  registrationNumber: `61A9${String(++registrationSeq).padStart(6, '0')}`,
  communeCode: '32002',
});
/** The roles that keep the registry: administrators, the province office, the commune, the producer. */
const registry = (status: Expect, others: Expect, anonymous: Expect): Record<Who, Expect> =>
  only(
    { admin: status, province_office: status, commune_officer: status, producer: status },
    others,
    anonymous,
  );
const staff = (status: Expect, others: Expect, anonymous: Expect): Record<Who, Expect> =>
  only({ admin: status, province_office: status, commune_officer: status }, others, anonymous);

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
  // producers, products, dossiers, documents
  { method: 'GET', route: '/api/v1/producers', expect: registry(200, 403, 401) },
  { method: 'POST', route: '/api/v1/producers', json: () => newProducer(), expect: staff(201, 403, 401) },
  {
    method: 'GET',
    route: '/api/v1/producers/:id',
    url: (c) => `/api/v1/producers/${c.producerId}`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'PATCH',
    route: '/api/v1/producers/:id',
    url: (c) => `/api/v1/producers/${c.producerId}`,
    json: () => ({ representativeName: 'Nguyễn Văn A' }),
    expect: registry(200, 404, 404),
  },
  { method: 'GET', route: '/producers', expect: registry(200, 403, 'login') },
  { method: 'GET', route: '/producers/new', expect: staff(200, 403, 'login') },
  {
    method: 'POST',
    route: '/producers',
    form: () => ({ legalType: 'cooperative' }),
    expect: signedIn(400, 'login'),
  },
  {
    method: 'GET',
    route: '/producers/:id',
    url: (c) => `/producers/${c.producerId}`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'GET',
    route: '/producers/:id/edit',
    url: (c) => `/producers/${c.producerId}/edit`,
    expect: registry(200, 404, 'login'),
  },
  {
    method: 'POST',
    route: '/producers/:id/edit',
    url: (c) => `/producers/${c.producerId}/edit`,
    form: () => ({ legalType: 'cooperative' }),
    expect: signedIn(400, 'login'),
  },
  {
    method: 'GET',
    route: '/producers/export',
    url: () => '/producers/export?format=csv',
    expect: staff(200, 403, 'login'),
  },
  { method: 'GET', route: '/api/v1/products', expect: 200 },
  {
    method: 'POST',
    route: '/api/v1/products',
    json: (c) => ({ producerId: c.producerId, name: 'Khô cá bổi', productSet: 8 }),
    expect: { ...registry(201, 400, 401) },
  },
  {
    method: 'GET',
    route: '/api/v1/products/:id',
    url: (c) => `/api/v1/products/${c.productId}`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'PATCH',
    route: '/api/v1/products/:id',
    url: (c) => `/api/v1/products/${c.productId}`,
    json: () => ({ netContent: '500 g' }),
    expect: registry(200, 404, 404),
  },
  {
    method: 'GET',
    route: '/api/v1/products/:id/images',
    url: (c) => `/api/v1/products/${c.productId}/images`,
    expect: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/products/:id/images',
    url: (c) => `/api/v1/products/${c.productId}/images`,
    json: () => ({}),
    expect: 400,
  },
  {
    method: 'GET',
    route: '/api/v1/documents/:id',
    url: (c) => `/api/v1/documents/${c.imageId}`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'GET',
    route: '/api/v1/documents/:id/history',
    url: (c) => `/api/v1/documents/${c.imageId}/history`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'GET',
    route: '/documents/:id',
    url: (c) => `/documents/${c.imageId}`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'GET',
    route: '/documents/:id/versions',
    url: (c) => `/documents/${c.imageId}/versions`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'GET',
    route: '/documents/:id/thumbnail',
    url: (c) => `/documents/${c.imageId}/thumbnail`,
    expect: registry(200, 404, 404),
  },
  { method: 'GET', route: '/products', expect: 200 },
  {
    method: 'GET',
    route: '/products/new',
    url: (c) => `/products/new?producerId=${c.producerId}`,
    expect: registry(200, 404, 'login'),
  },
  {
    method: 'POST',
    route: '/products',
    form: (c) => ({ producerId: c.producerId }),
    expect: signedIn(400, 'login'),
  },
  {
    method: 'GET',
    route: '/products/:id',
    url: (c) => `/products/${c.productId}`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'GET',
    route: '/products/:id/edit',
    url: (c) => `/products/${c.productId}/edit`,
    expect: registry(200, 404, 'login'),
  },
  {
    method: 'POST',
    route: '/products/:id/edit',
    url: (c) => `/products/${c.productId}/edit`,
    form: () => ({ name: '' }),
    expect: signedIn(400, 'login'),
  },
  {
    method: 'POST',
    route: '/products/:id/images',
    url: (c) => `/products/${c.productId}/images`,
    form: () => ({}),
    expect: registry(400, 404, 'login'),
  },
  {
    method: 'GET',
    route: '/products/export',
    url: () => '/products/export?format=xlsx',
    expect: staff(200, 403, 'login'),
  },
  { method: 'GET', route: '/api/v1/dossiers', expect: registry(200, 403, 401) },
  {
    method: 'POST',
    route: '/api/v1/dossiers',
    json: (c) => ({ productId: c.productId, kind: 'first_evaluation' }),
    // the product's dossier is open already (409); only its producer opens dossiers
    expect: { ...registry(403, 400, 401), admin: 409, producer: 409 },
  },
  {
    method: 'GET',
    route: '/api/v1/dossiers/:id',
    url: (c) => `/api/v1/dossiers/${c.dossierId}`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'PATCH',
    route: '/api/v1/dossiers/:id',
    url: (c) => `/api/v1/dossiers/${c.dossierId}`,
    json: () => ({ selfAssessment: { generalInfo: 'Hợp tác xã thành lập năm 2015.' } }),
    expect: { ...registry(403, 404, 404), admin: 200, producer: 200 },
  },
  {
    method: 'POST',
    route: '/api/v1/dossiers/:id/:action',
    url: (c) => `/api/v1/dossiers/${c.dossierId}/submit`,
    // the draft is incomplete (409) for its producer; not the commune's or the province's step
    expect: { ...registry(403, 404, 404), admin: 409, producer: 409 },
  },
  {
    method: 'GET',
    route: '/api/v1/dossiers/:id/documents',
    url: (c) => `/api/v1/dossiers/${c.dossierId}/documents`,
    expect: registry(200, 404, 404),
  },
  {
    method: 'POST',
    route: '/api/v1/dossiers/:id/documents',
    url: (c) => `/api/v1/dossiers/${c.dossierId}/documents`,
    json: () => ({}),
    expect: 400,
  },
  { method: 'GET', route: '/dossiers', expect: registry(200, 403, 'login') },
  {
    method: 'POST',
    route: '/dossiers',
    form: (c) => ({ productId: c.productId, kind: 'first_evaluation' }),
    expect: { ...registry(403, 400, 'login'), admin: 409, producer: 409 },
  },
  {
    method: 'GET',
    route: '/dossiers/:id',
    url: (c) => `/dossiers/${c.dossierId}`,
    expect: registry(200, 404, 'login'),
  },
  {
    method: 'POST',
    route: '/dossiers/:id/forms',
    url: (c) => `/dossiers/${c.dossierId}/forms`,
    form: () => ({ sampleCount: 'năm' }),
    expect: registry(400, 404, 'login'),
  },
  {
    method: 'POST',
    route: '/dossiers/:id/documents',
    url: (c) => `/dossiers/${c.dossierId}/documents`,
    form: () => ({ kind: 'other' }),
    expect: registry(400, 404, 'login'),
  },
  {
    method: 'POST',
    route: '/dossiers/:id/actions/:action',
    url: (c) => `/dossiers/${c.dossierId}/actions/submit`,
    form: () => ({}),
    expect: { ...registry(403, 404, 'login'), admin: 409, producer: 409 },
  },
  {
    method: 'GET',
    route: '/dossiers/export',
    url: () => '/dossiers/export?format=csv',
    expect: staff(200, 403, 'login'),
  },
  {
    method: 'GET',
    route: '/my',
    expect: { ...all('redirect:/dossiers'), anonymous: 'login', producer: 200 },
  },
  // criteria and scoring: public; the self-assessment: the dossier's readers
  { method: 'GET', route: '/api/v1/criteria-sets', expect: 200 },
  {
    method: 'GET',
    route: '/api/v1/criteria-sets/:version',
    url: () => '/api/v1/criteria-sets/26-2026',
    expect: 200,
  },
  {
    method: 'GET',
    route: '/api/v1/criteria-sets/:version/:set',
    url: () => '/api/v1/criteria-sets/26-2026/08',
    expect: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/criteria-sets/:version/:set/score',
    url: () => '/api/v1/criteria-sets/26-2026/08/score',
    json: () => ({ sheets: [] }),
    expect: 422,
  },
  { method: 'GET', route: '/criteria', expect: 200 },
  { method: 'GET', route: '/criteria/:version/:set', url: () => '/criteria/26-2026/08', expect: 200 },
  { method: 'GET', route: '/criteria/:version/:set/pdf', url: () => '/criteria/26-2026/08/pdf', expect: 200 },
  {
    method: 'GET',
    route: '/dossiers/:id/self-assessment',
    url: (c) => `/dossiers/${c.dossierId}/self-assessment`,
    expect: registry(200, 404, 'login'),
  },
  {
    method: 'POST',
    route: '/dossiers/:id/self-assessment',
    url: (c) => `/dossiers/${c.dossierId}/self-assessment`,
    form: () => ({ action: 'estimate' }),
    expect: registry(422, 404, 'login'),
  },
  // evaluation rounds: the offices run them; council members see the rounds they sit on (none here)
  {
    method: 'GET',
    route: '/api/v1/evaluation/rounds',
    expect: only({ admin: 200, province_office: 200, council_member: 200, council_secretary: 200 }, 403),
  },
  {
    method: 'POST',
    route: '/api/v1/evaluation/rounds',
    json: () => ({ level: 'province', year: 2027, number: 3 }),
    expect: only({ admin: 400, province_office: 400 }, 403),
  },
  ...roundRows(),
  ...certificateRows(),
  ...epcisRows(),
  ...traceRows(),
  {
    method: 'GET',
    route: '/rounds',
    expect: only(
      { admin: 200, province_office: 200, council_member: 200, council_secretary: 200 },
      403,
      'login',
    ),
  },
  {
    method: 'POST',
    route: '/rounds',
    form: () => ({ level: 'province', year: '2027', number: '3' }),
    expect: only({ admin: 400, province_office: 400 }, 403, 'login'),
  },
  // imports: administrators and province offices
  { method: 'GET', route: '/imports', expect: only({ admin: 200, province_office: 200 }, 403, 'login') },
  {
    method: 'POST',
    route: '/imports',
    form: () => ({ target: 'producers' }),
    expect: only({ admin: 400, province_office: 400 }, 403, 'login'),
  },
  {
    method: 'GET',
    route: '/imports/:id',
    url: () => `/imports/${ZERO}`,
    expect: only({ admin: 404, province_office: 404 }, 403, 'login'),
  },
  {
    method: 'POST',
    route: '/imports/:id',
    url: () => `/imports/${ZERO}`,
    form: () => ({}),
    expect: only({ admin: 404, province_office: 404 }, 403, 'login'),
  },
  {
    method: 'POST',
    route: '/api/v1/imports',
    json: () => ({}),
    expect: only({ admin: 400, province_office: 400 }, 403, 401),
  },
];

/** The routes of one round: its office (admin, Cà Mau's office) runs it; nobody else sees it. */
/**
 * Certificates: the register, the verification pages and the open data are public; recording and
 * revoking are the offices'; the printable certificate and the label go to those who keep the
 * product's registry record (its producer account — not the matrix's, another producer's —, the
 * commune, the province).
 */
function certificateRows(): Case[] {
  const office = (status: Expect, anonymous: Expect = 401, others: Expect = 403) =>
    only({ admin: status, province_office: status }, others, anonymous);
  const id = (c: Context) => c.certificateId;
  const revocation = () => ({
    ground: 'mark_misuse',
    decisionNumber: '1/QĐ-UBND',
    decisionDate: '2099-01-01',
    signer: 'Chủ tịch UBND tỉnh',
  });
  return [
    { method: 'GET', route: '/api/v1/certificates', expect: 200 },
    {
      method: 'GET',
      route: '/api/v1/certificates/:id',
      url: (c) => `/api/v1/certificates/${id(c)}`,
      expect: 200,
    },
    {
      method: 'POST',
      route: '/api/v1/certificates',
      json: () => ({
        productId: ZERO,
        level: 'province',
        stars: 3,
        decisionNumber: '1/QĐ-UBND',
        decisionDate: '2025-01-01',
        decisionSigner: 'Chủ tịch',
      }),
      expect: office(422),
    },
    {
      method: 'POST',
      route: '/api/v1/certificates/:id/revocation',
      url: (c) => `/api/v1/certificates/${id(c)}/revocation`,
      json: revocation,
      expect: office(400),
    },
    { method: 'GET', route: '/certificates', expect: 200 },
    { method: 'GET', route: '/certificates/new', expect: office(200, 'login') },
    {
      method: 'POST',
      route: '/certificates',
      form: () => ({ productId: ZERO, level: 'province', stars: '3' }),
      expect: office(422, 'login'),
    },
    { method: 'GET', route: '/certificates/re-evaluation', expect: office(200, 'login') },
    { method: 'GET', route: '/certificates/:id', url: (c) => `/certificates/${id(c)}`, expect: 200 },
    {
      method: 'POST',
      route: '/certificates/:id/revocation',
      url: (c) => `/certificates/${id(c)}/revocation`,
      form: revocation,
      expect: office(400, 'login'),
    },
    {
      method: 'GET',
      route: '/certificates/:id/certificate.pdf',
      url: (c) => `/certificates/${id(c)}/certificate.pdf`,
      expect: staff(200, 403, 'login'),
    },
    {
      method: 'GET',
      route: '/certificates/:id/mark.svg',
      url: (c) => `/certificates/${id(c)}/mark.svg`,
      expect: staff(200, 403, 'login'),
    },
    // the import of certificates issued earlier: the offices
    { method: 'GET', route: '/certificates/import', expect: office(200, 'login') },
    { method: 'POST', route: '/certificates/import', form: () => ({}), expect: office(400, 'login') },
    {
      method: 'GET',
      route: '/certificates/import/:id',
      url: () => `/certificates/import/${ZERO}`,
      expect: office(404, 'login'),
    },
    {
      method: 'POST',
      route: '/certificates/import/:id',
      url: () => `/certificates/import/${ZERO}`,
      form: () => ({}),
      expect: office(404, 'login'),
    },
    { method: 'POST', route: '/api/v1/certificates/import', json: () => ({}), expect: office(400) },
    { method: 'GET', route: '/verify', expect: 200 },
    { method: 'GET', route: '/verify/:ref', url: (c) => `/verify/${id(c)}`, expect: 200 },
    { method: 'GET', route: '/.well-known/ocop-keys.json', expect: 200 },
    { method: 'GET', route: '/open-data/certificates.csv', expect: 200 },
    { method: 'GET', route: '/open-data/certificates.jsonld', expect: 200 },
  ];
}

/**
 * EPCIS: capture and queries need an account that may hold events (administrators, province
 * offices, producers); the answers are EPCIS problems (401/403), never a login page.
 */
function epcisRows(): Case[] {
  const holders = (status: Expect) =>
    only({ admin: status, province_office: status, producer: status }, 403, 401);
  return [
    { method: 'OPTIONS', route: '/epcis/capture', expect: 204 },
    { method: 'POST', route: '/epcis/capture', json: () => ({}), expect: holders(400) },
    { method: 'GET', route: '/epcis/capture', expect: holders(200) },
    {
      method: 'GET',
      route: '/epcis/capture/:captureID',
      url: () => `/epcis/capture/${ZERO}`,
      expect: holders(404),
    },
    { method: 'POST', route: '/epcis/events', json: () => ({}), expect: holders(400) },
    { method: 'GET', route: '/epcis/events', expect: holders(200) },
    {
      method: 'GET',
      route: '/epcis/events/:eventID',
      url: () => `/epcis/events/${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}`,
      expect: holders(404),
    },
    { method: 'GET', route: '/epcis/eventTypes', expect: signedIn(200) },
    {
      method: 'GET',
      route: '/epcis/epcs/:epc/events',
      url: () => `/epcis/epcs/${encodeURIComponent('urn:epc:id:sgtin:8930000.012345.1')}/events`,
      expect: holders(200),
    },
    { method: 'GET', route: '/epcis/integrity', expect: holders(200) },
    { method: 'GET', route: '/epcis/queries', expect: holders(200) },
    { method: 'POST', route: '/epcis/queries', json: () => ({}), expect: holders(400) },
    {
      method: 'GET',
      route: '/epcis/queries/:queryName',
      url: () => '/epcis/queries/none',
      expect: holders(404),
    },
    {
      method: 'DELETE',
      route: '/epcis/queries/:queryName',
      url: () => '/epcis/queries/none',
      expect: holders(404),
    },
    {
      method: 'GET',
      route: '/epcis/queries/:queryName/subscriptions',
      url: () => '/epcis/queries/none/subscriptions',
      expect: holders(404),
    },
    {
      method: 'POST',
      route: '/epcis/queries/:queryName/subscriptions',
      url: () => '/epcis/queries/none/subscriptions',
      json: () => ({ dest: 'https://example.com/hook', stream: true }),
      expect: holders(404),
    },
    {
      method: 'GET',
      route: '/epcis/queries/:queryName/subscriptions/:subscriptionID',
      url: () => `/epcis/queries/none/subscriptions/${ZERO}`,
      expect: holders(404),
    },
    {
      method: 'DELETE',
      route: '/epcis/queries/:queryName/subscriptions/:subscriptionID',
      url: () => `/epcis/queries/none/subscriptions/${ZERO}`,
      expect: holders(404),
    },
    {
      method: 'GET',
      route: '/epcis/queries/:queryName/events',
      url: () => '/epcis/queries/none/events',
      expect: holders(404),
    },
    {
      method: 'GET',
      route: '/api/v1/producers/:producerId/locations',
      url: (c) => `/api/v1/producers/${c.producerId}/locations`,
      expect: registry(200, 404, 401),
    },
    {
      method: 'POST',
      route: '/api/v1/producers/:producerId/locations',
      url: (c) => `/api/v1/producers/${c.producerId}/locations`,
      json: () => ({ name: 'Kho lạnh Ma Trận' }),
      expect: registry(201, 404, 401),
    },
  ];
}

/**
 * From farm to shopper: batches and their journey are the registry's (its scope); the resolver,
 * the trace pages, test reports and "report a problem" are public; scans follow the registry's
 * lists; entered resolver links are the administrators', the offices' and the producers'.
 */
function traceRows(): Case[] {
  const batch = `/api/v1/batches/${ZERO}`;
  const writers = (status: Expect, anonymous: Expect = 401) =>
    only({ admin: status, province_office: status, producer: status }, 403, anonymous);
  return [
    {
      method: 'GET',
      route: '/api/v1/producers/:producerId/partners',
      url: (c) => `/api/v1/producers/${c.producerId}/partners`,
      expect: registry(200, 404, 401),
    },
    {
      method: 'POST',
      route: '/api/v1/producers/:producerId/partners',
      url: (c) => `/api/v1/producers/${c.producerId}/partners`,
      json: () => ({ name: 'Đại lý Ma Trận', kind: 'retailer' }),
      expect: registry(201, 404, 401),
    },
    { method: 'GET', route: '/api/v1/batches', expect: registry(200, 403, 401) },
    {
      method: 'POST',
      route: '/api/v1/batches',
      json: () => ({ productId: ZERO, lot: 'L1', productionDate: '2026-01-01' }),
      expect: registry(400, 403, 401),
    },
    { method: 'GET', route: '/api/v1/batches/:id', url: () => batch, expect: signedIn(404) },
    {
      method: 'POST',
      route: '/api/v1/batches/:id/steps',
      url: () => `${batch}/steps`,
      json: () => ({ step: 'harvest', eventTime: '2026-05-01T08:00', placeId: ZERO }),
      expect: signedIn(404),
    },
    {
      method: 'POST',
      route: '/api/v1/batches/:id/recall',
      url: () => `${batch}/recall`,
      json: () => ({ reason: 'Thử' }),
      expect: signedIn(404),
    },
    {
      method: 'POST',
      route: '/api/v1/batches/:id/serials',
      url: () => `${batch}/serials`,
      json: () => ({ count: 1 }),
      expect: signedIn(404),
    },
    {
      method: 'GET',
      route: '/api/v1/batches/:id/national-portal.json',
      url: () => `${batch}/national-portal.json`,
      expect: signedIn(404),
    },
    {
      method: 'GET',
      route: '/api/v1/batches/:id/national-portal.csv',
      url: () => `${batch}/national-portal.csv`,
      expect: signedIn(404),
    },
    // the resolver: a malformed key is a 400 for anyone
    ...[
      '00',
      '01',
      '253',
      '255',
      '401',
      '402',
      '414',
      '415',
      '417',
      '8003',
      '8004',
      '8006',
      '8010',
      '8013',
      '8017',
      '8018',
    ].map((ai): Case => ({ method: 'GET', route: `/${ai}/*`, url: () => `/${ai}/x`, expect: 400 })),
    { method: 'GET', route: '/.well-known/gs1resolver', expect: 200 },
    {
      method: 'GET',
      route: '/trace/01/:gtin/10/:lot',
      url: () => '/trace/01/09506000134352/10/X',
      expect: 404,
    },
    {
      method: 'GET',
      route: '/trace/01/:gtin/10/:lot/21/:serial',
      url: () => '/trace/01/09506000134352/10/X/21/1',
      expect: 404,
    },
    { method: 'GET', route: '/trace/reports/:id', url: () => `/trace/reports/${ZERO}`, expect: 404 },
    { method: 'GET', route: '/trace/report', expect: 200 },
    { method: 'POST', route: '/trace/report', form: () => ({ gtin: 'x' }), expect: 400 },
    ...['qr.svg', 'qr.png', 'labels.pdf'].map(
      (file): Case => ({
        method: 'GET',
        route: `/trace/batches/:id/${file}`,
        url: () => `/trace/batches/${ZERO}/${file}`,
        expect: signedIn(404, 'login'),
      }),
    ),
    { method: 'GET', route: '/api/v1/scans', expect: registry(200, 403, 401) },
    { method: 'GET', route: '/trace/scans', expect: registry(200, 403, 'login') },
    // the producer's pages: offices choose the producer; commune officers read; council members none
    { method: 'GET', route: '/trace', expect: registry(200, 403, 'login') },
    { method: 'GET', route: '/trace/batches/new', expect: writers(200, 'login') },
    {
      method: 'POST',
      route: '/trace/batches/new',
      form: () => ({}),
      expect: only({ admin: 404, province_office: 404, producer: 400 }, 403, 'login'),
    },
    {
      method: 'GET',
      route: '/trace/batches/:id',
      url: () => `/trace/batches/${ZERO}`,
      expect: signedIn(404, 'login'),
    },
    ...['reports', 'serials', 'recall'].map(
      (action): Case => ({
        method: 'POST',
        route: `/trace/batches/:id/${action}`,
        url: () => `/trace/batches/${ZERO}/${action}`,
        form: () => ({}),
        expect: writers(404, 'login'),
      }),
    ),
    {
      method: 'GET',
      route: '/trace/batches/:id/recall',
      url: () => `/trace/batches/${ZERO}/recall`,
      expect: writers(404, 'login'),
    },
    {
      method: 'GET',
      route: '/trace/batches/:id/steps/:step',
      url: () => `/trace/batches/${ZERO}/steps/harvest`,
      expect: writers(404, 'login'),
    },
    {
      method: 'POST',
      route: '/trace/batches/:id/steps/:step',
      url: () => `/trace/batches/${ZERO}/steps/harvest`,
      form: () => ({}),
      expect: writers(404, 'login'),
    },
    { method: 'GET', route: '/trace/places', expect: registry(200, 403, 'login') },
    {
      method: 'POST',
      route: '/trace/places',
      form: () => ({}),
      expect: only({ admin: 404, province_office: 404, producer: 400 }, 403, 'login'),
    },
    {
      method: 'POST',
      route: '/trace/partners',
      form: () => ({}),
      expect: only({ admin: 404, province_office: 404, producer: 400 }, 403, 'login'),
    },
    { method: 'GET', route: '/api/v1/resolver/entries', expect: writers(200) },
    { method: 'POST', route: '/api/v1/resolver/entries', json: () => ({}), expect: writers(400) },
  ];
}

function roundRows(): Case[] {
  const api = (c: Context) => `/api/v1/evaluation/rounds/${c.roundId}`;
  const page = (c: Context) => `/rounds/${c.roundId}`;
  const office = (status: Expect, anonymous: Expect = 401) =>
    only({ admin: status, province_office: status }, 404, anonymous);
  const entry = `dossiers/${ZERO}`;
  return [
    { method: 'GET', route: '/api/v1/evaluation/rounds/:id', url: api, expect: office(200) },
    {
      method: 'PATCH',
      route: '/api/v1/evaluation/rounds/:id',
      url: api,
      json: () => ({ location: 'Cà Mau' }),
      expect: office(200),
    },
    {
      method: 'POST',
      route: '/api/v1/evaluation/rounds/:id/actions/:action',
      url: (c) => `${api(c)}/actions/open`,
      json: () => ({}),
      expect: office(409),
    },
    {
      method: 'POST',
      route: '/api/v1/evaluation/rounds/:id/members',
      url: (c) => `${api(c)}/members`,
      json: () => ({ userId: ZERO, role: 'member' }),
      expect: only({}, 404),
    },
    {
      method: 'DELETE',
      route: '/api/v1/evaluation/rounds/:id/members/:memberId',
      url: (c) => `${api(c)}/members/${ZERO}`,
      expect: only({}, 404),
    },
    {
      method: 'PUT',
      route: '/api/v1/evaluation/rounds/:id/attendance',
      url: (c) => `${api(c)}/attendance`,
      json: () => ({ present: {} }),
      expect: office(200),
    },
    {
      method: 'POST',
      route: '/api/v1/evaluation/rounds/:id/dossiers',
      url: (c) => `${api(c)}/dossiers`,
      json: (c) => ({ dossierId: c.dossierId }),
      expect: office(409),
    },
    {
      method: 'DELETE',
      route: '/api/v1/evaluation/rounds/:id/dossiers/:entryId',
      url: (c) => `${api(c)}/${entry}`,
      expect: only({}, 404),
    },
    {
      method: 'PUT',
      route: '/api/v1/evaluation/rounds/:id/dossiers/:entryId/conflict',
      url: (c) => `${api(c)}/${entry}/conflict`,
      json: () => ({ conflicted: false }),
      expect: office(409),
    },
    {
      method: 'GET',
      route: '/api/v1/evaluation/rounds/:id/dossiers/:entryId/sheets',
      url: (c) => `${api(c)}/${entry}/sheets`,
      expect: only({}, 404),
    },
    {
      method: 'PUT',
      route: '/api/v1/evaluation/rounds/:id/dossiers/:entryId/sheet',
      url: (c) => `${api(c)}/${entry}/sheet`,
      json: () => ({ choices: {}, submit: false }),
      expect: office(409),
    },
    {
      method: 'POST',
      route: '/api/v1/evaluation/rounds/:id/dossiers/:entryId/finalise',
      url: (c) => `${api(c)}/${entry}/finalise`,
      expect: office(409),
    },
    {
      method: 'POST',
      route: '/api/v1/evaluation/rounds/:id/dossiers/:entryId/rescore',
      url: (c) => `${api(c)}/${entry}/rescore`,
      json: () => ({}),
      expect: office(409),
    },
    {
      method: 'POST',
      route: '/api/v1/evaluation/rounds/:id/dossiers/:entryId/accept-spread',
      url: (c) => `${api(c)}/${entry}/accept-spread`,
      json: () => ({ reason: 'Lý do đủ dài để ghi' }),
      expect: office(409),
    },
    {
      method: 'GET',
      route: '/api/v1/evaluation/rounds/:id/minutes.pdf',
      url: (c) => `${api(c)}/minutes.pdf`,
      expect: office(200),
    },
    {
      method: 'GET',
      route: '/api/v1/evaluation/rounds/:id/results.xlsx',
      url: (c) => `${api(c)}/results.xlsx`,
      expect: office(200),
    },
    {
      method: 'GET',
      route: '/api/v1/evaluation/rounds/:id/consistency',
      url: (c) => `${api(c)}/consistency`,
      expect: office(200),
    },
    { method: 'GET', route: '/rounds/:id', url: page, expect: office(200, 'login') },
    {
      method: 'GET',
      route: '/rounds/:id/report',
      url: (c) => `${page(c)}/report`,
      expect: office(200, 'login'),
    },
    {
      method: 'GET',
      route: '/rounds/:id/dossiers/:entryId',
      url: (c) => `${page(c)}/${entry}`,
      expect: only({}, 404, 'login'),
    },
    ...(
      [
        ['/rounds/:id/members', 'members', office(400, 'login')],
        ['/rounds/:id/members/:memberId/remove', `members/${ZERO}/remove`, only({}, 404, 'login')],
        // a seat that does not exist: refused before anything changes
        ['/rounds/:id/attendance', 'attendance', only({}, 404, 'login')],
        ['/rounds/:id/dossiers', 'dossiers', office(400, 'login')],
        ['/rounds/:id/actions/:action', 'actions/open', office(409, 'login')],
        ['/rounds/:id/dossiers/:entryId/finalise', `${entry}/finalise`, office(409, 'login')],
        ['/rounds/:id/dossiers/:entryId/rescore', `${entry}/rescore`, office(409, 'login')],
        ['/rounds/:id/dossiers/:entryId/accept-spread', `${entry}/accept-spread`, office(409, 'login')],
        ['/rounds/:id/dossiers/:entryId/conflict', `${entry}/conflict`, only({}, 404, 'login')],
        ['/rounds/:id/dossiers/:entryId/sheet', `${entry}/sheet`, only({}, 404, 'login')],
      ] as const
    ).map(([route, tail, expect]) => ({
      method: 'POST',
      route,
      url: (c: Context) => `${page(c)}/${tail}`,
      form: (): Record<string, string> => (tail === 'attendance' ? { [`seen/${ZERO}`]: '1' } : {}),
      expect,
    })),
  ];
}

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
      const producer = await createProducer(app, { legalName: 'HTX Khô cá Ma Trận' });
      const system = { actor: { type: 'system' as const, label: 'matrix' } };
      const admin = {
        userId: ZERO,
        email: 'x',
        name: 'Quản trị',
        role: 'admin',
        scopeCode: null,
        producerId: null,
        via: 'session' as const,
      };
      const product = await app.products.products.create(system, admin, {
        producerId: producer.id,
        name: 'Khô cá bổi Ma Trận',
        productSet: 8,
      });
      const image = await app.products.documents.upload(system, admin, {
        productId: product.id,
        dossierId: null,
        kind: 'product_image',
        fileName: 'anh.png',
        bytes: await samplePng(),
      });
      const dossier = await app.products.dossiers.create(system, admin, {
        productId: product.id,
        kind: 'first_evaluation',
      });
      const round = await app.evaluation.rounds.create(system, admin, {
        level: 'province',
        year: 2027,
        number: 1,
        provinceCode: '96',
      });
      // another producer's: a recognised product makes its producer public
      const certifiedProducer = await createProducer(app, { legalName: 'HTX Tôm Ma Trận' });
      const certified = await app.products.products.create(system, admin, {
        producerId: certifiedProducer.id,
        name: 'Tôm khô Ma Trận',
        productSet: 8,
      });
      const certificate = await app.certification.certificates.create(system, admin, {
        productId: certified.id,
        level: 'province',
        stars: 4,
        decisionNumber: '12/QĐ-UBND',
        decisionDate: '2025-02-05',
        decisionSigner: 'Chủ tịch UBND tỉnh Cà Mau',
      });
      ctx = {
        certificateId: certificate.id,
        roundId: round.id,
        app,
        producerId: producer.id,
        productId: product.id,
        imageId: image.id,
        dossierId: dossier.id,
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
              ...(who === 'producer' ? { producerId: ctx.producerId } : {}),
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
