import { Type } from 'typebox';
import { DomainError } from '../../platform/errors.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import type { FormBody } from '../../platform/http/form-body.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import {
  type FastifyReply,
  type FastifyRequest,
  type HttpServer,
  sendPage,
} from '../../platform/http/server.ts';
import { createRateLimiter } from '../../platform/rate-limit.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { renderDocument } from '../../platform/views/jsx.ts';
import type { DossiersService } from '../products/index.ts';
import type { CriteriaService } from './criteria.service.ts';
import type { CriteriaForm } from './criteria.ts';
import { FormParams, ScoreBody, ScoreResultSchema, VersionParams } from './evaluation.schemas.ts';
import { CriteriaFormPage, CriteriaIndexPage, SelfAssessmentPage } from './evaluation.views.tsx';
import { nextSteps } from './next-steps.ts';
import { scoreSheetPdf } from './score-sheet.pdf.ts';
import { type ScoreResult, scoreSheets, validateSheets } from './scoring.ts';

const TAGS = ['criteria'];

export interface EvaluationRouteDeps {
  criteria: CriteriaService;
  dossiers: DossiersService;
}

/** The sheet as a producer filled it on the page: `c/<code>` → option index. */
function choicesOf(form: CriteriaForm, body: FormBody): Record<string, number> {
  const choices: Record<string, number> = {};
  for (const leaf of form.leaves) {
    const value = body[`c/${leaf.code}`];
    if (typeof value === 'string' && /^\d{1,3}$/.test(value)) choices[leaf.code] = Number(value);
  }
  return choices;
}

export function registerEvaluationRoutes(app: HttpServer, deps: EvaluationRouteDeps) {
  const { criteria } = deps;
  app.addSchema(ScoreResultSchema);
  // anyone may try the official scoring: computing costs, so each address has a budget
  const scoring = createRateLimiter({ limit: 60, windowMs: 60_000 });

  // --- API ---------------------------------------------------------------------------------
  app.get(
    '/api/v1/criteria-sets',
    {
      schema: {
        tags: TAGS,
        summary:
          'The criteria versions and their product sets (26 under QĐ 26/2026), with the corrections applied to printed values',
        response: { 200: Type.Object({ items: Type.Array(Type.Unknown()) }) },
      },
    },
    async () => ({
      items: (await criteria.versions()).map((v) => ({
        version: v.slug,
        title: v.title,
        source: v.source,
        sets: v.sets.map((f) => ({
          set: f.setCode,
          name: f.name,
          sector: f.classification.nganh,
          group: f.classification.nhom,
          leaves: f.leaves.length,
        })),
        corrections: v.corrections,
      })),
    }),
  );

  app.get(
    '/api/v1/criteria-sets/:version',
    {
      schema: {
        tags: TAGS,
        summary: 'One criteria version: its sets and corrections',
        params: VersionParams,
        response: { 200: Type.Unknown(), 404: ProblemRef },
      },
    },
    async (request) => {
      const v = await criteria.version(request.params.version);
      return {
        version: v.slug,
        title: v.title,
        source: v.source,
        sets: v.sets.map((f) => f.setCode),
        corrections: v.corrections,
      };
    },
  );

  app.get(
    '/api/v1/criteria-sets/:version/:set',
    {
      schema: {
        tags: TAGS,
        summary:
          'One official score sheet: parts, sections, criteria (leaves answer), options with points and star minimums',
        params: FormParams,
        response: { 200: Type.Unknown(), 400: ProblemRef, 404: ProblemRef },
      },
    },
    async (request) => criteria.form(request.params.version, request.params.set),
  );

  app.post(
    '/api/v1/criteria-sets/:version/:set/score',
    {
      schema: {
        tags: TAGS,
        summary:
          'Score sheets on the official form: member totals, mean score, band, stars after the minimums (gates), failed gates, spread. Public and rate-limited',
        params: FormParams,
        body: ScoreBody,
        response: {
          200: Type.Ref('ScoreResult'),
          400: ProblemRef,
          404: ProblemRef,
          422: ProblemRef,
          429: ProblemRef,
        },
      },
    },
    async (request) => {
      scoring.hit(request.ip);
      return criteria.score(request.params.version, request.params.set, request.body.sheets);
    },
  );

  // --- pages -------------------------------------------------------------------------------
  app.get('/criteria', { schema: { hide: true } }, async (request, reply) =>
    sendPage(
      reply,
      renderDocument(CriteriaIndexPage({ page: request.page, versions: await criteria.versions() })),
    ),
  );

  app.get(
    '/criteria/:version/:set',
    { schema: { hide: true, params: FormParams } },
    async (request, reply) => {
      const version = await criteria.version(request.params.version);
      const form = await criteria.form(request.params.version, request.params.set);
      reply.header('cache-control', 'public, max-age=3600');
      return sendPage(reply, renderDocument(CriteriaFormPage({ page: request.page, form, version })));
    },
  );

  app.get(
    '/criteria/:version/:set/pdf',
    {
      schema: {
        tags: TAGS,
        summary: 'The official score sheet of a set as a PDF (A4, laid out like the form)',
        params: FormParams,
      },
    },
    async (request, reply) => {
      const version = await criteria.version(request.params.version);
      const form = await criteria.form(request.params.version, request.params.set);
      const pdf = await scoreSheetPdf(form, { slug: version.slug, title: version.title });
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="phieu-danh-gia-ocop-${version.slug}-bo-${form.setCode}.pdf"`,
        )
        .header('cache-control', 'public, max-age=3600')
        .send(pdf);
    },
  );

  // --- the producer's self-assessment (Mẫu 02, part III) -------------------------------------
  const selfAssessmentPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    dossierId: string,
    given: { choices?: Record<string, number>; result?: ScoreResult | null; state?: FormState } = {},
    status = 200,
  ) => {
    const dossier = await deps.dossiers.get(request.principal, dossierId);
    const saved = dossier.selfAssessment.scoring ?? null;
    const version = saved ? await criteria.version(saved.version) : await criteria.current();
    const form = await criteria.form(version.slug, String(dossier.productSet).padStart(2, '0'));
    const choices = given.choices ?? saved?.choices ?? {};
    const result =
      given.result !== undefined
        ? given.result
        : saved && validateSheets(form, [{ choices }]).length === 0
          ? scoreSheets(form, [{ choices }])
          : null;
    const steps = result ? nextSteps(form, choices) : null;
    return sendPage(
      reply,
      renderDocument(
        SelfAssessmentPage({
          page: request.page,
          dossierId,
          productName: dossier.productName,
          form,
          version,
          choices,
          result,
          steps,
          editable: dossier.editable,
          savedAt: saved?.savedAt ?? null,
          state: given.state ?? emptyForm(),
        }),
      ),
      status,
    );
  };

  const DossierParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
  app.get(
    '/dossiers/:id/self-assessment',
    { schema: { hide: true, params: DossierParams } },
    async (request, reply) => {
      if (!request.principal) throw new DomainError('sign_in_required', 'unauthenticated');
      return selfAssessmentPage(request, reply, request.params.id);
    },
  );

  app.post(
    '/dossiers/:id/self-assessment',
    { schema: { hide: true, params: DossierParams } },
    async (request, reply) => {
      if (!request.principal) throw new DomainError('sign_in_required', 'unauthenticated');
      const id = request.params.id;
      const dossier = await deps.dossiers.get(request.principal, id);
      const version = await criteria.current();
      const form = await criteria.form(version.slug, String(dossier.productSet).padStart(2, '0'));
      const body = (request.body ?? {}) as FormBody;
      const choices = choicesOf(form, body);
      const faults = validateSheets(form, [{ choices }]);
      if (faults.length > 0) {
        const missing = faults.filter((f) => f.rule === 'missing').length;
        const state = {
          values: {},
          errors: faults,
          message: request.t('errors.self_assessment_incomplete', { count: missing || faults.length }),
        };
        return selfAssessmentPage(request, reply, id, { choices, result: null, state }, 422);
      }
      const result = scoreSheets(form, [{ choices }]);
      if (body.action === 'save') {
        await deps.dossiers.saveScoring(auditContextOf(request), request.principal, id, {
          version: version.slug,
          set: form.set,
          choices,
          score: result.score,
          stars: result.stars,
          savedAt: new Date().toISOString(),
        });
      }
      return selfAssessmentPage(request, reply, id, { choices, result });
    },
  );
}
