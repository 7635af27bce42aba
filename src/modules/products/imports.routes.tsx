/**
 * Import pages and API. A file is read once and kept (in memory, for an hour) while the user
 * adjusts the column mapping and resolves split communes; each dry run or commit runs as a
 * background job whose progress the page shows (it refreshes itself, no script needed).
 */
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import type { Principal } from '../../platform/auth.ts';
import { DomainError } from '../../platform/errors.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { FilePart, multipartBody } from '../../platform/http/multipart-doc.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import { type HttpServer, isUploadedFile, sendPage } from '../../platform/http/server.ts';
import { columnLetter, readTable, type Table } from '../../platform/spreadsheet/index.ts';
import { Fragment, h, renderDocument } from '../../platform/views/jsx.ts';
import { CsrfField, Layout } from '../../platform/views/layout.tsx';
import { mayImport } from '../producers/index.ts';
import { uploadRefused } from './errors.ts';
import { guessMapping, IMPORT_FIELDS, IMPORT_TARGETS, type ImportTarget } from './import-columns.ts';
import type { ImportReport } from './imports.service.ts';
import { PRODUCT_TAGS, type ProductsRouteDeps } from './products.http.ts';

interface ImportJob {
  id: string;
  ownerId: string;
  target: ImportTarget;
  fileName: string;
  table: Table;
  mapping: Record<string, number>;
  resolutions: Record<string, string>;
  state: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  report: ImportReport | null;
  error: string | null;
  createdAt: number;
}

const JOB_TTL_MS = 60 * 60 * 1000;
const MAX_JOBS = 50;

function requireImporter(principal: Principal | null): Principal {
  if (!principal) throw new DomainError('sign_in_required', 'unauthenticated');
  if (!mayImport(principal)) throw new DomainError('forbidden', 'forbidden');
  return principal;
}

export function registerImportRoutes(app: HttpServer, deps: ProductsRouteDeps) {
  const jobs = new Map<string, ImportJob>();
  const limitMb = Math.round(deps.uploadLimitBytes / 1048576);

  const sweep = () => {
    const now = Date.now();
    for (const [id, job] of jobs)
      if (now - job.createdAt > JOB_TTL_MS && job.state !== 'running') jobs.delete(id);
    while (jobs.size >= MAX_JOBS) {
      const oldest = [...jobs.values()]
        .filter((j) => j.state !== 'running')
        .sort((a, b) => a.createdAt - b.createdAt)[0];
      if (!oldest) throw new DomainError('too_many_requests', 'rate_limited', { retryAfter: 60 });
      jobs.delete(oldest.id);
    }
  };

  const start = (
    job: ImportJob,
    principal: Principal,
    context: ReturnType<typeof auditContextOf>,
    commit: boolean,
  ) => {
    job.state = 'running';
    job.done = 0;
    job.total = job.table.rows.length;
    job.report = null;
    job.error = null;
    deps.imports
      .run(
        context,
        principal,
        { target: job.target, table: job.table, mapping: job.mapping, resolutions: job.resolutions },
        {
          commit,
          onProgress: (done, total) => {
            job.done = done;
            job.total = total;
          },
        },
      )
      .then((report) => {
        job.report = report;
        job.state = 'done';
      })
      .catch((error: unknown) => {
        job.state = 'failed';
        job.error = error instanceof DomainError ? error.code : 'internal_error';
        if (!(error instanceof DomainError)) app.log.error({ err: error }, 'import failed');
      });
  };

  const readUpload = async (body: Record<string, unknown>) => {
    const file = body.file;
    if (!isUploadedFile(file) || file.bytes.length === 0) throw uploadRefused('upload_missing');
    if (file.tooLarge) throw uploadRefused('file_too_large', { limit: limitMb });
    const target = IMPORT_TARGETS.find((t) => t === body.target);
    if (!target) {
      throw new DomainError('validation_failed', 'invalid', {}, [
        { in: 'body', name: 'target', rule: 'enum', params: { allowed: IMPORT_TARGETS.join(', ') } },
      ]);
    }
    return { target, fileName: file.fileName, table: await readTable(file.bytes, file.fileName) };
  };

  const jsonRecord = (value: unknown, name: string): Record<string, unknown> => {
    if (typeof value !== 'string' || !value.trim()) return {};
    try {
      const parsed = JSON.parse(value) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new DomainError('validation_failed', 'invalid', {}, [{ in: 'body', name, rule: 'json' }]);
  };

  // --- API ---------------------------------------------------------------------------------
  app.post(
    '/api/v1/imports',
    {
      config: {
        multipartBody: multipartBody(
          {
            target: Type.Enum([...IMPORT_TARGETS]),
            file: FilePart,
            commit: Type.Enum(['true', 'false'], {
              description: 'true: write (all rows or none); otherwise a dry run',
            }),
            mapping: Type.String({
              description: 'JSON {field: column index}; guessed from the headings when absent',
            }),
            resolutions: Type.String({
              description: 'JSON {former commune code: 2025 commune code} for split communes',
            }),
          },
          ['target', 'file'],
        ),
      },
      schema: {
        tags: PRODUCT_TAGS,
        summary:
          'Import producers or products from .xlsx or CSV (multipart/form-data: `target` producers|products, `file`, `commit` true for writing, optional `mapping` {field: column index} and `resolutions` {former commune code: 2025 commune code} as JSON). Without commit: a dry run. A commit writes all rows or none.',
        response: { 200: Type.Unknown(), 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
    },
    async (request) => {
      const principal = requireImporter(request.principal);
      if (!request.isMultipart()) throw new DomainError('unsupported_media_type', 'invalid');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const { target, table } = await readUpload(body);
      const given = jsonRecord(body.mapping, 'mapping');
      const fields = new Set(IMPORT_FIELDS[target].map((f) => f.key));
      for (const [key, value] of Object.entries(given)) {
        if (
          !fields.has(key) ||
          !Number.isInteger(value) ||
          (value as number) < 0 ||
          (value as number) >= table.headers.length
        ) {
          throw new DomainError('validation_failed', 'invalid', {}, [
            { in: 'body', name: `mapping/${key}`, rule: 'column' },
          ]);
        }
      }
      const mapping = { ...guessMapping(target, table.headers), ...(given as Record<string, number>) };
      const resolutions = jsonRecord(body.resolutions, 'resolutions') as Record<string, string>;
      for (const [oldCode, newCode] of Object.entries(resolutions)) {
        if (!/^\d{5}$/.test(oldCode) || typeof newCode !== 'string' || !/^\d{5}$/.test(newCode)) {
          throw new DomainError('validation_failed', 'invalid', {}, [
            { in: 'body', name: `resolutions/${oldCode}`, rule: 'pattern' },
          ]);
        }
      }
      const report = await deps.imports.run(
        auditContextOf(request),
        principal,
        { target, table, mapping, resolutions },
        {
          commit: body.commit === 'true',
        },
      );
      return { ...report, mapping, headers: table.headers, encoding: table.encoding };
    },
  );

  // --- pages -------------------------------------------------------------------------------
  app.get('/imports', { schema: { hide: true } }, async (request, reply) => {
    requireImporter(request.principal);
    const { t } = request;
    return sendPage(
      reply,
      renderDocument(
        <Layout page={request.page} title={t('imports.title')}>
          <h1>{t('imports.title')}</h1>
          <p>{t('imports.intro')}</p>
          <form method="post" action="/imports" enctype="multipart/form-data" class="form">
            <CsrfField page={request.page} />
            <div class="field">
              <label for="f-target">{t('imports.target')}</label>
              <select id="f-target" name="target">
                {IMPORT_TARGETS.map((target) => (
                  <option value={target}>{t(`imports.target.${target}`)}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-file">{t('dossiers.file')}</label>
              <p class="hint">{t('imports.fileHint', { limit: limitMb })}</p>
              <input id="f-file" type="file" name="file" required accept=".xlsx,.csv,.txt" />
            </div>
            <p>
              <button type="submit">{t('imports.check')}</button>
            </p>
          </form>
          <h2>{t('imports.columns')}</h2>
          {IMPORT_TARGETS.map((target) => (
            <p>
              <strong>{t(`imports.target.${target}`)}:</strong>{' '}
              {IMPORT_FIELDS[target]
                .map((f) => `${t(`imports.field.${f.key}`)}${f.required ? ' *' : ''}`)
                .join(' · ')}
            </p>
          ))}
        </Layout>,
      ),
    );
  });

  app.post('/imports', { schema: { hide: true } }, async (request, reply) => {
    const principal = requireImporter(request.principal);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { target, fileName, table } = await readUpload(body);
    sweep();
    const job: ImportJob = {
      id: randomUUID(),
      ownerId: principal.userId,
      target,
      fileName,
      table,
      mapping: guessMapping(target, table.headers),
      resolutions: {},
      state: 'running',
      done: 0,
      total: table.rows.length,
      report: null,
      error: null,
      createdAt: Date.now(),
    };
    jobs.set(job.id, job);
    start(job, principal, auditContextOf(request), false);
    return reply.redirect(`/imports/${job.id}`, 303);
  });

  const jobOf = (principal: Principal, id: string) => {
    const job = jobs.get(id);
    if (!job || job.ownerId !== principal.userId) throw new DomainError('import_not_found', 'not_found');
    return job;
  };

  app.get(
    '/imports/:id',
    { schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (request, reply) => {
      const principal = requireImporter(request.principal);
      const job = jobOf(principal, request.params.id);
      const { t } = request;
      const page = request.page;
      const report = job.report;
      const fieldLabel = (key: string) => t(`imports.field.${key}`);
      const running = job.state === 'running';
      return sendPage(
        reply,
        renderDocument(
          <Layout page={page} title={t('imports.title')}>
            {running ? <meta http-equiv="refresh" content="1" /> : null}
            <p class="eyebrow">{t(`imports.target.${job.target}`)}</p>
            <h1>{job.fileName}</h1>
            <p>
              {t('imports.fileSummary', { rows: job.table.rows.length, columns: job.table.headers.length })}
              {job.table.encoding && job.table.encoding !== 'utf-8'
                ? ` ${t('imports.legacyEncoding', { encoding: job.table.encoding })}`
                : ''}
            </p>
            {running ? (
              <>
                <label for="import-progress">
                  {t('imports.running', { done: job.done, total: job.total })}
                </label>
                <progress
                  id="import-progress"
                  max={String(Math.max(job.total, 1))}
                  value={String(job.done)}
                />
              </>
            ) : null}
            {job.state === 'failed' ? (
              <p class="alert" role="alert">
                {t(`errors.${job.error ?? 'internal_error'}`)}
              </p>
            ) : null}
            {report ? (
              <>
                <p
                  class={report.committed ? 'notice' : report.problems.length > 0 ? 'alert' : 'notice'}
                  role="status"
                  data-testid="import-summary"
                >
                  {report.committed
                    ? t('imports.committed', {
                        create: report.create,
                        update: report.update,
                        unchanged: report.unchanged,
                      })
                    : report.problems.length > 0
                      ? t('imports.hasProblems', { count: report.problems.length })
                      : t('imports.dryRunOk', {
                          create: report.create,
                          update: report.update,
                          unchanged: report.unchanged,
                        })}
                </p>
                {report.problems.length > 0 ? (
                  <div class="table-wrap">
                    <table data-testid="import-problems">
                      <thead>
                        <tr>
                          <th scope="col">{t('imports.row')}</th>
                          <th scope="col">{t('imports.column')}</th>
                          <th scope="col">{t('imports.problem')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {report.problems.slice(0, 500).map((p) => {
                          const index = job.mapping[p.field];
                          return (
                            <tr>
                              <td>{p.row}</td>
                              <td>
                                {p.column
                                  ? `${index !== undefined ? `${columnLetter(index)}: ` : ''}${p.column}`
                                  : fieldLabel(p.field)}
                              </td>
                              <td>
                                {t(`validation.${p.rule}`, { ...p.params, field: fieldLabel(p.field) })}
                              </td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                ) : null}
              </>
            ) : null}
            {!running && !report?.committed ? (
              <form method="post" action={`/imports/${job.id}`} class="form form-wide">
                <CsrfField page={page} />
                <fieldset>
                  <legend>{t('imports.mapping')}</legend>
                  {IMPORT_FIELDS[job.target].map((field) => (
                    <div class="field">
                      <label for={`map-${field.key}`}>
                        {fieldLabel(field.key)}
                        {field.required ? ' *' : ''}
                      </label>
                      <select id={`map-${field.key}`} name={`mapping/${field.key}`}>
                        <option value="">{t('imports.notInFile')}</option>
                        {job.table.headers.map((heading, index) => (
                          <option value={String(index)} selected={job.mapping[field.key] === index}>
                            {`${columnLetter(index)}: ${heading}`}
                          </option>
                        ))}
                      </select>
                    </div>
                  ))}
                </fieldset>
                {report && report.pending.length > 0 ? (
                  <fieldset>
                    <legend>{t('imports.pendingMerges')}</legend>
                    {report.pending.map((merge) => (
                      <div class="field">
                        <label for={`res-${merge.oldCode}`}>
                          {t('imports.mergeQuestion', {
                            name: merge.oldName,
                            rows: merge.rows.slice(0, 10).join(', '),
                          })}
                        </label>
                        <select id={`res-${merge.oldCode}`} name={`resolutions/${merge.oldCode}`}>
                          <option value="">—</option>
                          {merge.candidates.map((c) => (
                            <option value={c.code} selected={job.resolutions[merge.oldCode] === c.code}>
                              {`${c.name} (${c.code})`}
                            </option>
                          ))}
                        </select>
                      </div>
                    ))}
                  </fieldset>
                ) : null}
                <p class="actions">
                  <button type="submit" name="action" value="check" class="secondary">
                    {t('imports.check')}
                  </button>
                  {report && report.problems.length === 0 && report.pending.length === 0 ? (
                    <button type="submit" name="action" value="commit" data-testid="import-commit">
                      {t('imports.commit', { count: report.create + report.update })}
                    </button>
                  ) : null}
                </p>
              </form>
            ) : null}
            {report?.committed ? (
              <p>
                <a href={job.target === 'producers' ? '/producers' : '/products'}>{t('imports.seeList')}</a>
              </p>
            ) : null}
          </Layout>,
        ),
      );
    },
  );

  app.post(
    '/imports/:id',
    { schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (request, reply) => {
      const principal = requireImporter(request.principal);
      const job = jobOf(principal, request.params.id);
      if (job.state === 'running') return reply.redirect(`/imports/${job.id}`, 303);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const mapping: Record<string, number> = {};
      const resolutions: Record<string, string> = {};
      for (const [key, value] of Object.entries(body)) {
        if (typeof value !== 'string' || value === '') continue;
        const m = /^mapping\/(\w+)$/.exec(key);
        if (m && /^\d+$/.test(value) && Number(value) < job.table.headers.length)
          mapping[m[1]!] = Number(value);
        const r = /^resolutions\/(\d{5})$/.exec(key);
        if (r && /^\d{5}$/.test(value)) resolutions[r[1]!] = value;
      }
      job.mapping = mapping;
      job.resolutions = { ...job.resolutions, ...resolutions };
      start(job, principal, auditContextOf(request), body.action === 'commit');
      return reply.redirect(`/imports/${job.id}`, 303);
    },
  );
}
