/**
 * Evaluation rounds over HTTP: the JSON API under /api/v1/evaluation/rounds (OpenAPI) and the pages
 * under /rounds. Both call the same service; the pages show refusals next to the form they came from.
 */
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { DomainError } from '../../platform/errors.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { type FormBody, FormReader, formFailure, text, valuesOf } from '../../platform/http/form-body.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import {
  type FastifyReply,
  type FastifyRequest,
  type HttpServer,
  sendPage,
} from '../../platform/http/server.ts';
import { formatDate, todayInVietnam } from '../../platform/time.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { renderDocument } from '../../platform/views/jsx.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { DossiersService } from '../products/index.ts';
import { ReportPage } from './consistency.views.tsx';
import { COUNCIL_ROLES, ROUND_LEVELS } from './round.model.ts';
import { roundMinutesPdf } from './round-minutes.pdf.ts';
import { roundResultsXlsx } from './round-results.xlsx.ts';
import { ROUND_ACTIONS, type RoundAction } from './round-states.ts';
import type { RoundsService, SheetInput } from './rounds.service.ts';
import { type RoundForms, RoundPage, RoundsPage, ScoringPage } from './rounds.views.tsx';

const TAGS = ['evaluation'];
const API = '/api/v1/evaluation/rounds';

export interface RoundRouteDeps {
  rounds: RoundsService;
  dossiers: DossiersService;
  documents: {
    list: (
      principal: FastifyRequest['principal'],
      owner: { productId: string; dossierId: string | null },
    ) => Promise<{ id: string; fileName: string; kind: string }[]>;
  };
  identity: Pick<IdentityService, 'getUser' | 'listUsers'>;
  adminUnits: AdminUnitsService;
}

const Id = Type.String({ format: 'uuid' });
const RoundParams = Type.Object({ id: Id });
const MemberParams = Type.Object({ id: Id, memberId: Id });
const EntryParams = Type.Object({ id: Id, entryId: Id });
const ActionParams = Type.Object({ id: Id, action: Type.Union(ROUND_ACTIONS.map((a) => Type.Literal(a))) });
const DateString = Type.String({ format: 'date' });

const RoundBody = Type.Object(
  {
    level: Type.Union(ROUND_LEVELS.map((l) => Type.Literal(l))),
    year: Type.Integer({ minimum: 2020, maximum: 2100 }),
    number: Type.Integer({
      minimum: 1,
      maximum: 20,
      description: '1 and 2: the regular rounds; 3 and up: extra rounds',
    }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    provinceCode: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: 'administrators only' })),
    filesBy: Type.Optional(DateString),
    closesBy: Type.Optional(DateString),
    scoringDate: Type.Optional(Type.Union([DateString, Type.Null()])),
    location: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    quorumPercent: Type.Optional(Type.Integer({ minimum: 50, maximum: 100 })),
    spreadLimit: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
const RoundPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    scoringDate: Type.Optional(Type.Union([DateString, Type.Null()])),
    location: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    quorumPercent: Type.Optional(Type.Integer({ minimum: 50, maximum: 100 })),
    spreadLimit: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
const MemberBody = Type.Object(
  {
    userId: Id,
    role: Type.Union(COUNCIL_ROLES.map((r) => Type.Literal(r))),
    organisation: Type.Optional(Type.String({ maxLength: 300 })),
    phone: Type.Optional(Type.String({ maxLength: 30 })),
  },
  { additionalProperties: false },
);
const AttendanceBody = Type.Object(
  { present: Type.Record(Type.String({ format: 'uuid' }), Type.Boolean()) },
  { additionalProperties: false },
);
const DossierBody = Type.Object({ dossierId: Id }, { additionalProperties: false });
const ConflictBody = Type.Object(
  {
    conflicted: Type.Boolean(),
    reason: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const SheetBody = Type.Object(
  {
    choices: Type.Record(Type.String({ maxLength: 20 }), Type.Integer({ minimum: 0, maximum: 99 }), {
      description: 'leaf criterion code → chosen option index (0-based), as in /api/v1/criteria-sets',
    }),
    comments: Type.Optional(Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 2000 }))),
    disqualified: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 })),
    opinion: Type.Optional(Type.Union([Type.Literal('confirm'), Type.Literal('change'), Type.Null()])),
    submit: Type.Boolean({ description: 'true locks the sheet; false saves a draft' }),
    idempotencyKey: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{8,100}$',
        description:
          'the same key again returns the sheet saved with it and changes nothing (offline resend)',
      }),
    ),
  },
  { additionalProperties: false },
);
const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 10, maxLength: 4000 }) },
  { additionalProperties: false },
);
const RescoreBody = Type.Object(
  {
    meeting: Type.Optional(
      Type.Boolean({ description: 'the council met (written re-evaluation whose opinions differ)' }),
    ),
    reason: Type.Optional(Type.String({ maxLength: 4000, description: 'why, for the audit log' })),
  },
  { additionalProperties: false },
);
const ActionBody = Type.Object(
  {
    decisionNumber: Type.Optional(Type.String({ maxLength: 60 })),
    decisionDate: Type.Optional(DateString),
    decisionSigner: Type.Optional(Type.String({ maxLength: 200 })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 30 })),
    year: Type.Optional(Type.Integer({ minimum: 2020, maximum: 2100 })),
  },
  { additionalProperties: false },
);
const Detail = Type.Unknown({
  description: 'The round: schedule, quorum, council, dossiers with results, allowed actions',
});

const errors = {
  400: ProblemRef,
  401: ProblemRef,
  403: ProblemRef,
  404: ProblemRef,
  409: ProblemRef,
  422: ProblemRef,
};

export function registerRoundRoutes(app: HttpServer, deps: RoundRouteDeps) {
  const { rounds } = deps;

  const provinceName = async (code: string) => {
    try {
      return (await deps.adminUnits.get('2025', code)).name;
    } catch {
      return code;
    }
  };

  // --- API ---------------------------------------------------------------------------------
  app.get(
    API,
    {
      schema: {
        tags: TAGS,
        summary: 'The rounds the caller runs or sits on, latest first',
        querystring: ListQuery,
        response: { 200: Type.Unknown(), 401: ProblemRef, 403: ProblemRef },
      },
    },
    async (request) => ({ items: await rounds.list(request.principal, request.query) }),
  );

  app.post(
    API,
    {
      schema: {
        tags: TAGS,
        summary:
          'Plans a round (provincial office). Regular rounds 1 and 2 take the official dates unless given; extra rounds need filesBy and closesBy',
        body: RoundBody,
        response: { 201: Detail, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await rounds.create(auditContextOf(request), request.principal, request.body)),
  );

  app.get(
    `${API}/:id`,
    {
      schema: { tags: TAGS, summary: 'One round', params: RoundParams, response: { 200: Detail, ...errors } },
    },
    async (request) => rounds.get(request.principal, request.params.id),
  );

  app.patch(
    `${API}/:id`,
    {
      schema: {
        tags: TAGS,
        summary: 'Changes the plan of a round not yet open',
        params: RoundParams,
        body: RoundPatch,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.update(auditContextOf(request), request.principal, request.params.id, request.body),
  );

  app.post(
    `${API}/:id/actions/:action`,
    {
      schema: {
        tags: TAGS,
        summary:
          'A step of the lifecycle: open (council complete, dossiers, quorum), close_scoring, reopen, propose (every result final), decide (decision number, date on or after scoring, signer), cancel',
        params: ActionParams,
        body: ActionBody,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.act(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.params.action,
        request.body ?? {},
      ),
  );

  app.post(
    `${API}/:id/members`,
    {
      schema: {
        tags: TAGS,
        summary: 'Seats a council account on the council (planned rounds)',
        params: RoundParams,
        body: MemberBody,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) => {
      return rounds.addMember(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.body,
        (userId) => deps.identity.getUser(request.principal, userId),
      );
    },
  );

  app.delete(
    `${API}/:id/members/:memberId`,
    {
      schema: {
        tags: TAGS,
        summary: 'Removes a seat (planned rounds)',
        params: MemberParams,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.removeMember(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.params.memberId,
      ),
  );

  app.put(
    `${API}/:id/attendance`,
    {
      schema: {
        tags: TAGS,
        summary: 'Records who is present: member id → present',
        params: RoundParams,
        body: AttendanceBody,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.setAttendance(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.body.present,
      ),
  );

  app.post(
    `${API}/:id/dossiers`,
    {
      schema: {
        tags: TAGS,
        summary:
          'Puts a dossier in the round: a forwarded dossier (accepted now) for a province round, a 5★ candidate for a central round',
        params: RoundParams,
        body: DossierBody,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.addDossier(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.body.dossierId,
      ),
  );

  app.delete(
    `${API}/:id/dossiers/:entryId`,
    {
      schema: {
        tags: TAGS,
        summary: 'Takes a dossier out of a planned round',
        params: EntryParams,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.removeDossier(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.params.entryId,
      ),
  );

  app.put(
    `${API}/:id/dossiers/:entryId/conflict`,
    {
      schema: {
        tags: TAGS,
        summary:
          "The caller's declaration of a conflict of interest on one dossier (a reason is required when there is one)",
        params: EntryParams,
        body: ConflictBody,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.declareConflict(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.params.entryId,
        request.body,
      ),
  );

  app.get(
    `${API}/:id/dossiers/:entryId/sheets`,
    {
      schema: {
        tags: TAGS,
        summary:
          "The caller's own sheet, and the others' once every expected member has submitted (null before)",
        params: EntryParams,
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    async (request) => {
      const { form: _, ...rest } = await rounds.sheets(
        request.principal,
        request.params.id,
        request.params.entryId,
      );
      return rest;
    },
  );

  app.put(
    `${API}/:id/dossiers/:entryId/sheet`,
    {
      schema: {
        tags: TAGS,
        summary:
          "Saves the caller's sheet as a draft or submits it (locked; its SHA-256 goes to the audit log). The Idempotency-Key header or field makes a resend harmless",
        params: EntryParams,
        body: SheetBody,
        response: { 200: Type.Unknown(), 201: Type.Unknown(), ...errors },
      },
    },
    async (request, reply) => {
      const header = request.headers['idempotency-key'];
      const key = request.body.idempotencyKey ?? (typeof header === 'string' ? header : undefined);
      const input: SheetInput = { ...request.body, ...(key ? { idempotencyKey: key } : {}) };
      const saved = await rounds.saveSheet(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.params.entryId,
        input,
      );
      return reply.code(saved.replayed ? 200 : 201).send(saved);
    },
  );

  app.post(
    `${API}/:id/dossiers/:entryId/finalise`,
    {
      schema: {
        tags: TAGS,
        summary:
          'Fixes the result: refused without quorum, with sheets missing, with the spread unresolved or a meeting pending',
        params: EntryParams,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.finalise(auditContextOf(request), request.principal, request.params.id, request.params.entryId),
  );

  app.post(
    `${API}/:id/dossiers/:entryId/rescore`,
    {
      schema: {
        tags: TAGS,
        summary:
          'Starts a new scoring attempt (earlier sheets stay on record); meeting: the council meets on a written re-evaluation',
        params: EntryParams,
        body: RescoreBody,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.rescore(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.params.entryId,
        request.body ?? {},
      ),
  );

  app.post(
    `${API}/:id/dossiers/:entryId/accept-spread`,
    {
      schema: {
        tags: TAGS,
        summary: 'The chair accepts a spread above the limit without re-scoring, with a written reason',
        params: EntryParams,
        body: ReasonBody,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) =>
      rounds.acceptSpread(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.params.entryId,
        request.body,
      ),
  );

  app.get(
    `${API}/:id/minutes.pdf`,
    { schema: { tags: TAGS, summary: 'The minutes (biên bản) of the round as a PDF', params: RoundParams } },
    async (request, reply) => {
      const round = await rounds.get(request.principal, request.params.id);
      const minutes = await rounds.minutes(
        request.principal,
        round.id,
        await provinceName(round.provinceCode),
      );
      const pdf = await roundMinutesPdf(minutes);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="bien-ban-${round.year}-dot-${round.number}-${round.level}.pdf"`,
        )
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.get(
    `${API}/:id/results.xlsx`,
    { schema: { tags: TAGS, summary: 'The result list of the round as .xlsx', params: RoundParams } },
    async (request, reply) => {
      const round = await rounds.get(request.principal, request.params.id);
      const minutes = await rounds.minutes(
        request.principal,
        round.id,
        await provinceName(round.provinceCode),
      );
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="ket-qua-${round.year}-dot-${round.number}-${round.level}.xlsx"`,
        )
        .header('cache-control', 'private, no-store')
        .send(await roundResultsXlsx(minutes));
    },
  );

  app.get(
    `${API}/:id/consistency`,
    {
      schema: {
        tags: TAGS,
        summary:
          "Consistency of the council: each member's mean deviation from the council mean over the province's rounds, this round's spread distribution, how often members disagree per criterion",
        params: RoundParams,
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    async (request) => rounds.consistency(request.principal, request.params.id),
  );

  // --- pages -------------------------------------------------------------------------------
  const signedIn = (request: FastifyRequest) => {
    if (!request.principal) throw new DomainError('sign_in_required', 'unauthenticated');
    return request.principal;
  };

  const roundsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState = emptyForm(),
    status = 200,
  ) => {
    const principal = signedIn(request);
    const list = await rounds.list(principal);
    const canCreate = principal.role === 'admin' || principal.role === 'province_office';
    const values = form.values.year
      ? form
      : {
          ...form,
          values: {
            year: todayInVietnam().slice(0, 4),
            number: '1',
            quorumPercent: '75',
            spreadLimit: '10',
            ...form.values,
          },
        };
    return sendPage(
      reply,
      renderDocument(RoundsPage({ page: request.page, rounds: list, canCreate, form: values })),
      status,
    );
  };

  app.get('/rounds', { schema: { hide: true } }, async (request, reply) => roundsPage(request, reply));

  app.post('/rounds', { schema: { hide: true } }, async (request, reply) => {
    const principal = signedIn(request);
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    try {
      const form = new FormReader(body);
      const level = form.choice('level', ROUND_LEVELS);
      const year = form.integer('year', { min: 2020, max: 2100 });
      const number = form.integer('number', { min: 1, max: 20 });
      if (year === null) form.fail('year', 'required');
      if (number === null) form.fail('number', 'required');
      const input = {
        level: level!,
        year: year!,
        number: number!,
        name: form.text('name', { max: 200 }) ?? '',
        filesBy: form.date('filesBy') ?? '',
        closesBy: form.date('closesBy') ?? '',
        scoringDate: form.date('scoringDate'),
        location: form.text('location', { max: 300 }),
        quorumPercent: form.integer('quorumPercent', { min: 50, max: 100 }) ?? 75,
        spreadLimit: form.decimal('spreadLimit') ?? 10,
      };
      if (form.errors.length > 0) throw new DomainError('validation_failed', 'invalid', {}, form.errors);
      const round = await rounds.create(auditContextOf(request), principal, input);
      return reply.redirect(`/rounds/${round.id}`, 303);
    } catch (error) {
      const { status, form } = formFailure(request, error, values, ['unauthenticated', 'forbidden']);
      return roundsPage(request, reply, form, status);
    }
  });

  const blankForms = (): RoundForms => ({
    member: emptyForm(),
    attendance: emptyForm(),
    dossier: emptyForm(),
    action: emptyForm(),
    row: emptyForm(),
  });

  const roundPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    given: Partial<RoundForms> = {},
    status = 200,
  ) => {
    const principal = signedIn(request);
    const round = await rounds.get(principal, id);
    const office = round.sides.includes('office');
    const councilUsers =
      office && round.status === 'planned'
        ? (await deps.identity.listUsers(principal))
            .filter(
              (u) => (u.role === 'council_member' || u.role === 'council_secretary') && u.status === 'active',
            )
            .filter((u) => !round.members.some((m) => m.userId === u.id))
            .map((u) => ({ id: u.id, name: u.name, email: u.email }))
        : [];
    const candidates = (
      office && round.status === 'planned' ? await rounds.candidates(principal, id) : []
    ).map((c) => ({
      dossierId: c.dossierId,
      label: `${c.productName} — ${c.producerName} (${request.t(`round.kind.${c.kind}`)})`,
    }));
    return sendPage(
      reply,
      renderDocument(
        RoundPage({
          page: request.page,
          round,
          councilUsers,
          candidates,
          forms: { ...blankForms(), ...given },
        }),
      ),
      status,
    );
  };

  /** A page form that calls the service, then goes back to the round (or shows the refusal on `slot`). */
  const roundForm = (
    path: string,
    slot: keyof RoundForms,
    run: (request: FastifyRequest<{ Params: Record<string, string> }>, body: FormBody) => Promise<unknown>,
    anchor = '',
  ) =>
    app.post(path, { schema: { hide: true } }, async (request, reply) => {
      const params = request.params as Record<string, string>;
      const body = (request.body ?? {}) as FormBody;
      try {
        await run(request as FastifyRequest<{ Params: Record<string, string> }>, body);
        return reply.redirect(`/rounds/${params.id}${anchor}`, 303);
      } catch (error) {
        const { status, form } = formFailure(request, error, valuesOf(body), [
          'not_found',
          'unauthenticated',
        ]);
        const forms: Partial<RoundForms> = {
          [slot]: slot === 'row' ? { ...form, id: params.entryId } : form,
        };
        return roundPage(request, reply, params.id!, forms, status);
      }
    });

  app.get('/rounds/:id', { schema: { hide: true, params: RoundParams } }, async (request, reply) =>
    roundPage(request, reply, request.params.id),
  );

  roundForm(
    '/rounds/:id/members',
    'member',
    async (request, body) => {
      const form = new FormReader(body);
      const userId = form.text('userId', { required: true });
      const role = form.choice('role', COUNCIL_ROLES);
      if (form.errors.length > 0) throw new DomainError('validation_failed', 'invalid', {}, form.errors);
      if (!/^[0-9a-f-]{36}$/i.test(userId!))
        throw new DomainError('validation_failed', 'invalid', {}, [
          { in: 'body', name: 'userId', rule: 'required' },
        ]);
      const organisation = form.text('organisation', { max: 300 });
      const phone = form.text('phone', { max: 30 });
      return rounds.addMember(
        auditContextOf(request),
        request.principal,
        request.params.id!,
        {
          userId: userId!,
          role: role!,
          ...(organisation ? { organisation } : {}),
          ...(phone ? { phone } : {}),
        },
        (id) => deps.identity.getUser(request.principal, id),
      );
    },
    '#council',
  );

  roundForm(
    '/rounds/:id/members/:memberId/remove',
    'member',
    (request) =>
      rounds.removeMember(
        auditContextOf(request),
        request.principal,
        request.params.id!,
        request.params.memberId!,
      ),
    '#council',
  );

  roundForm(
    '/rounds/:id/attendance',
    'attendance',
    (request, body) => {
      const present: Record<string, boolean> = {};
      for (const key of Object.keys(body)) {
        const match = /^seen\/([0-9a-f-]{36})$/.exec(key);
        if (match) present[match[1]!] = text(body, `present/${match[1]}`) === '1';
      }
      return rounds.setAttendance(auditContextOf(request), request.principal, request.params.id!, present);
    },
    '#council',
  );

  roundForm(
    '/rounds/:id/dossiers',
    'dossier',
    (request, body) => {
      const dossierId = text(body, 'dossierId');
      if (!/^[0-9a-f-]{36}$/i.test(dossierId))
        throw new DomainError('validation_failed', 'invalid', {}, [
          { in: 'body', name: 'dossierId', rule: 'required' },
        ]);
      return rounds.addDossier(auditContextOf(request), request.principal, request.params.id!, dossierId);
    },
    '#dossiers',
  );

  roundForm(
    '/rounds/:id/actions/:action',
    'action',
    async (request, body) => {
      const action = request.params.action as RoundAction;
      if (!ROUND_ACTIONS.includes(action)) throw new DomainError('round_action_not_allowed', 'conflict');
      const form = new FormReader(body);
      const version = form.integer('version', { min: 1 });
      const input =
        action === 'decide'
          ? {
              decisionNumber: form.text('decisionNumber', { required: true, max: 60 }) ?? '',
              decisionDate: form.date('decisionDate', true) ?? '',
              decisionSigner: form.text('decisionSigner', { required: true, max: 200 }) ?? '',
            }
          : {};
      if (form.errors.length > 0) throw new DomainError('validation_failed', 'invalid', {}, form.errors);
      try {
        return await rounds.act(auditContextOf(request), request.principal, request.params.id!, action, {
          ...input,
          ...(version ? { version } : {}),
        });
      } catch (error) {
        // the API gives the scoring day as an ISO date; the page says it as people write it
        if (error instanceof DomainError && typeof error.params.scoringDate === 'string')
          throw new DomainError(
            error.code,
            error.kind,
            { ...error.params, scoringDate: formatDate(error.params.scoringDate, request.locale) },
            error.fields,
          );
        throw error;
      }
    },
    '#round-actions',
  );

  roundForm(
    '/rounds/:id/dossiers/:entryId/finalise',
    'row',
    (request) =>
      rounds.finalise(
        auditContextOf(request),
        request.principal,
        request.params.id!,
        request.params.entryId!,
      ),
    '#dossiers',
  );
  roundForm(
    '/rounds/:id/dossiers/:entryId/rescore',
    'row',
    (request) =>
      rounds.rescore(
        auditContextOf(request),
        request.principal,
        request.params.id!,
        request.params.entryId!,
        { meeting: true },
      ),
    '#dossiers',
  );
  roundForm(
    '/rounds/:id/dossiers/:entryId/accept-spread',
    'row',
    (request, body) =>
      rounds.acceptSpread(
        auditContextOf(request),
        request.principal,
        request.params.id!,
        request.params.entryId!,
        {
          reason: text(body, 'reason'),
        },
      ),
    '#dossiers',
  );

  // --- the member's scoring page -----------------------------------------------------------
  const scoringPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    entryId: string,
    state: FormState = emptyForm(),
    typed?: { choices: Record<string, number>; comments: Record<string, string> },
    status = 200,
  ) => {
    const principal = signedIn(request);
    const round = await rounds.get(principal, id);
    const view = await rounds.sheets(principal, id, entryId);
    const documents = await deps.documents
      .list(principal, { productId: view.dossier.productId, dossierId: view.dossier.dossierId })
      .catch(() => []);
    return sendPage(
      reply,
      renderDocument(
        ScoringPage({
          page: request.page,
          round,
          dossier: view.dossier,
          form: view.form,
          mine: view.mine,
          others: view.others,
          previous: view.previous,
          comparison: view.comparison,
          documents: documents.map((d) => ({ id: d.id, name: d.fileName, kind: d.kind })),
          state,
          typed,
          idempotencyKey: randomUUID(),
        }),
      ),
      status,
    );
  };

  app.get(
    '/rounds/:id/dossiers/:entryId',
    { schema: { hide: true, params: EntryParams } },
    async (request, reply) => scoringPage(request, reply, request.params.id, request.params.entryId),
  );

  app.post(
    '/rounds/:id/dossiers/:entryId/conflict',
    { schema: { hide: true, params: EntryParams } },
    async (request, reply) => {
      const { id, entryId } = request.params;
      const body = (request.body ?? {}) as FormBody;
      try {
        const choice = text(body, 'conflicted');
        if (choice !== '0' && choice !== '1')
          throw new DomainError('validation_failed', 'invalid', {}, [
            { in: 'body', name: 'conflicted', rule: 'required' },
          ]);
        await rounds.declareConflict(auditContextOf(request), request.principal, id, entryId, {
          conflicted: choice === '1',
          reason: text(body, 'reason') || null,
        });
        return reply.redirect(`/rounds/${id}/dossiers/${entryId}`, 303);
      } catch (error) {
        const { status, form } = formFailure(request, error, valuesOf(body), [
          'not_found',
          'unauthenticated',
        ]);
        return scoringPage(request, reply, id, entryId, form, undefined, status);
      }
    },
  );

  app.post(
    '/rounds/:id/dossiers/:entryId/sheet',
    { schema: { hide: true, params: EntryParams } },
    async (request, reply) => {
      const { id, entryId } = request.params;
      const body = (request.body ?? {}) as FormBody;
      const typed = sheetOfForm(body);
      try {
        const submit = text(body, 'action') === 'submit';
        // one key per page and button: the same button posted twice is one save; a draft and a
        // submission from the same page are two
        const page = text(body, 'idempotencyKey');
        const key = page ? `${page.slice(0, 90)}-${submit ? 'submit' : 'draft'}` : '';
        await rounds.saveSheet(auditContextOf(request), request.principal, id, entryId, {
          ...typed,
          submit,
          ...(key ? { idempotencyKey: key } : {}),
        });
        return reply.redirect(`/rounds/${id}/dossiers/${entryId}`, 303);
      } catch (error) {
        const { status, form } = formFailure(request, error, valuesOf(body), [
          'not_found',
          'unauthenticated',
        ]);
        return scoringPage(request, reply, id, entryId, form, typed, status);
      }
    },
  );

  app.get('/rounds/:id/report', { schema: { hide: true, params: RoundParams } }, async (request, reply) => {
    const principal = signedIn(request);
    const round = await rounds.get(principal, request.params.id);
    const figures = await rounds.consistency(principal, round.id);
    return sendPage(reply, renderDocument(ReportPage({ page: request.page, round, ...figures })));
  });
}

/** The sheet as a member filled it on the page: `c/<code>` → option, `m/<code>` → comment. */
export function sheetOfForm(body: FormBody): {
  choices: Record<string, number>;
  comments: Record<string, string>;
  disqualified: string[];
  opinion: 'confirm' | 'change' | null;
} {
  const choices: Record<string, number> = {};
  const comments: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== 'string') continue;
    if (key.startsWith('c/') && /^\d{1,2}$/.test(value)) choices[key.slice(2)] = Number(value);
    else if (key.startsWith('m/') && value.trim()) comments[key.slice(2)] = value.trim();
  }
  const raised = body.disqualified;
  const disqualified = (Array.isArray(raised) ? raised : raised === undefined ? [] : [raised]).filter(
    (v): v is string => typeof v === 'string',
  );
  const opinion = text(body, 'opinion');
  return {
    choices,
    comments,
    disqualified,
    opinion: opinion === 'confirm' || opinion === 'change' ? opinion : null,
  };
}
