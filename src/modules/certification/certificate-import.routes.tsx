/**
 * Import of certificates already issued: pages and API. A file is read once and kept in memory
 * (an hour, for the user who uploaded it) while the user adjusts the column mapping; each check
 * or commit runs synchronously (a province has at most a few thousand certificates).
 */
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import type { Principal } from '../../platform/auth.ts';
import { DomainError } from '../../platform/errors.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { FilePart, multipartBody } from '../../platform/http/multipart-doc.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import { type HttpServer, isUploadedFile, sendPage } from '../../platform/http/server.ts';
import { columnLetter, formatDate, readTable, type Table } from '../../platform/spreadsheet/index.ts';
import { Fragment, h, renderDocument } from '../../platform/views/jsx.ts';
import { CsrfField, Layout } from '../../platform/views/layout.tsx';
import {
  CERTIFICATE_IMPORT_FIELDS,
  CERTIFICATE_IMPORT_KEYS,
  type CertificateImport,
  type CertificateImportProblem,
  type CertificateImportReport,
  guessCertificateMapping,
} from './certificate-import.ts';
import { recordsCertificates } from './policy.ts';

export interface CertificateImportRouteDeps {
  imports: CertificateImport;
  /** The upload limit the server was given (for the messages); 20 MiB by default. */
  uploadLimitBytes?: number;
}

interface ImportJob {
  id: string;
  ownerId: string;
  fileName: string;
  table: Table;
  mapping: Record<string, number>;
  report: CertificateImportReport | null;
  error: { code: string; params: Record<string, string | number> } | null;
  createdAt: number;
}

const JOB_TTL_MS = 60 * 60 * 1000;
const MAX_JOBS = 50;
const SHOWN_PROBLEMS = 500;
const TAGS = ['certificates'];

const JobParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const ReportSchema = Type.Object({
  rows: Type.Integer(),
  create: Type.Integer(),
  update: Type.Integer(),
  unchanged: Type.Integer(),
  replaces: Type.Array(
    Type.Object({
      row: Type.Integer(),
      number: Type.String(),
      stars: Type.Integer(),
      validUntil: Type.String({ format: 'date' }),
    }),
    { description: 'certificates in force in the register that rows of the file will replace' },
  ),
  problems: Type.Array(
    Type.Object({
      row: Type.Integer({ description: '1-based row of the file' }),
      column: Type.Union([Type.String(), Type.Null()], { description: 'the heading of the column at fault' }),
      field: Type.String(),
      rule: Type.String({ description: 'message key under validation.' }),
      params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
    }),
  ),
  committed: Type.Boolean(),
  mapping: Type.Record(Type.String(), Type.Integer(), { description: 'the column index used per field' }),
  headers: Type.Array(Type.String()),
  encoding: Type.Union([Type.String(), Type.Null()]),
});

function requireImporter(principal: Principal | null): Principal {
  if (!principal) throw new DomainError('sign_in_required', 'unauthenticated');
  if (!recordsCertificates(principal)) throw new DomainError('forbidden', 'forbidden');
  return principal;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export function registerCertificateImportRoutes(app: HttpServer, deps: CertificateImportRouteDeps) {
  const { imports } = deps;
  const jobs = new Map<string, ImportJob>();
  const limitMb = Math.round((deps.uploadLimitBytes ?? 20 * 1024 * 1024) / 1048576);

  const sweep = () => {
    const now = Date.now();
    for (const [id, job] of jobs) if (now - job.createdAt > JOB_TTL_MS) jobs.delete(id);
    while (jobs.size >= MAX_JOBS) {
      const oldest = [...jobs.values()].sort((a, b) => a.createdAt - b.createdAt)[0]!;
      jobs.delete(oldest.id);
    }
  };

  const jobOf = (principal: Principal, id: string) => {
    const job = jobs.get(id);
    if (!job || job.ownerId !== principal.userId || Date.now() - job.createdAt > JOB_TTL_MS)
      throw new DomainError('import_not_found', 'not_found');
    return job;
  };

  const readUpload = async (body: Record<string, unknown>) => {
    const file = body.file;
    if (!isUploadedFile(file) || file.bytes.length === 0)
      throw new DomainError('upload_missing', 'invalid', {}, [
        { in: 'body', name: 'file', rule: 'fileMissing' },
      ]);
    if (file.tooLarge)
      throw new DomainError('file_too_large', 'invalid', { limit: limitMb }, [
        { in: 'body', name: 'file', rule: 'fileTooLarge', params: { limit: limitMb } },
      ]);
    return { fileName: file.fileName, table: await readTable(file.bytes, file.fileName) };
  };

  /** `mapping` of the API: JSON {field: column index}, over the guessed one. */
  const mappingOf = (value: unknown, table: Table): Record<string, number> => {
    const guessed = guessCertificateMapping(table.headers);
    if (typeof value !== 'string' || !value.trim()) return guessed;
    let given: unknown;
    try {
      given = JSON.parse(value);
    } catch {
      given = null;
    }
    if (!given || typeof given !== 'object' || Array.isArray(given))
      throw new DomainError('validation_failed', 'invalid', {}, [
        { in: 'body', name: 'mapping', rule: 'json' },
      ]);
    const keys: readonly string[] = CERTIFICATE_IMPORT_KEYS;
    const mapping = { ...guessed };
    for (const [key, index] of Object.entries(given)) {
      const column =
        index === null || (Number.isInteger(index) && index >= 0 && index < table.headers.length);
      if (!keys.includes(key) || !column)
        throw new DomainError('validation_failed', 'invalid', {}, [
          { in: 'body', name: `mapping/${key}`, rule: 'column' },
        ]);
      if (index === null) delete mapping[key];
      else mapping[key] = index as number;
    }
    return mapping;
  };

  // --- API ---------------------------------------------------------------------------------
  app.post(
    '/api/v1/certificates/import',
    {
      config: {
        multipartBody: multipartBody(
          {
            file: FilePart,
            commit: Type.Enum(['true', 'false'], {
              description:
                'true: write (all rows or none, and only when the file has no problem); otherwise a dry run',
            }),
            mapping: Type.String({
              description:
                'JSON {field: column index, or null: not in the file}, over the mapping guessed from the headings',
            }),
          },
          ['file'],
        ),
      },
      schema: {
        tags: TAGS,
        summary:
          'Import certificates already issued from .xlsx or CSV (multipart/form-data: `file`, `commit` true for writing, optional `mapping` {field: column index or null} as JSON). Without commit: a dry run reporting every problem by row and column. A commit writes all rows or none.',
        response: { 200: ReportSchema, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 409: ProblemRef },
      },
    },
    async (request) => {
      const principal = requireImporter(request.principal);
      if (!request.isMultipart()) throw new DomainError('unsupported_media_type', 'invalid');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const { table } = await readUpload(body);
      const mapping = mappingOf(body.mapping, table);
      const report = await imports.run(
        auditContextOf(request),
        principal,
        { table, mapping },
        { commit: body.commit === 'true' },
      );
      return { ...report, mapping, headers: table.headers, encoding: table.encoding };
    },
  );

  // --- pages -------------------------------------------------------------------------------
  app.get('/certificates/import', { schema: { hide: true } }, async (request, reply) => {
    requireImporter(request.principal);
    const { t } = request;
    return sendPage(
      reply,
      renderDocument(
        <Layout page={request.page} title={t('certificateImport.title')}>
          <p class="eyebrow">
            <a href="/certificates">{t('certificateImport.seeList')}</a>
          </p>
          <h1>{t('certificateImport.title')}</h1>
          <p>{t('certificateImport.intro')}</p>
          <form method="post" action="/certificates/import" enctype="multipart/form-data" class="form">
            <CsrfField page={request.page} />
            <div class="field">
              <label for="f-file">{t('certificateImport.file')}</label>
              <p class="hint" id="f-file-hint">
                {t('certificateImport.fileHint', { limit: limitMb })}
              </p>
              <input
                id="f-file"
                type="file"
                name="file"
                required
                accept=".xlsx,.csv,.txt"
                aria-describedby="f-file-hint"
              />
            </div>
            <p>
              <button type="submit">{t('certificateImport.check')}</button>
            </p>
          </form>
          <h2>{t('certificateImport.columns')}</h2>
          <p>
            {CERTIFICATE_IMPORT_FIELDS.map(
              (f) => `${t(`certificateImport.field.${f.key}`)}${f.required ? ' *' : ''}`,
            ).join(' · ')}
          </p>
          <p class="hint">{t('certificateImport.columnsHint')}</p>
        </Layout>,
      ),
    );
  });

  /** Runs a check or a commit on the job, keeping what it says (or the refusal) for the page. */
  const runJob = async (
    job: ImportJob,
    principal: Principal,
    context: ReturnType<typeof auditContextOf>,
    commit: boolean,
  ) => {
    job.report = null;
    job.error = null;
    try {
      job.report = await imports.run(
        context,
        principal,
        { table: job.table, mapping: job.mapping },
        { commit },
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      job.error = { code: error.code, params: error.params };
    }
  };

  app.post('/certificates/import', { schema: { hide: true } }, async (request, reply) => {
    const principal = requireImporter(request.principal);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { fileName, table } = await readUpload(body);
    sweep();
    const job: ImportJob = {
      id: randomUUID(),
      ownerId: principal.userId,
      fileName,
      table,
      mapping: guessCertificateMapping(table.headers),
      report: null,
      error: null,
      createdAt: Date.now(),
    };
    jobs.set(job.id, job);
    await runJob(job, principal, auditContextOf(request), false);
    return reply.redirect(`/certificates/import/${job.id}`, 303);
  });

  app.get(
    '/certificates/import/:id',
    { schema: { hide: true, params: JobParams } },
    async (request, reply) => {
      const principal = requireImporter(request.principal);
      const job = jobOf(principal, request.params.id);
      const { t } = request;
      const page = request.page;
      const report = job.report;
      const fieldLabel = (key: string) => t(`certificateImport.field.${key}`);
      const columnText = (p: CertificateImportProblem) => {
        if (!p.column) return fieldLabel(p.field);
        const index = job.table.headers.indexOf(p.column);
        return index >= 0 ? `${columnLetter(index)}: ${p.column}` : p.column;
      };
      const problemText = (p: CertificateImportProblem) => {
        const params: Record<string, string | number> = { field: fieldLabel(p.field) };
        for (const [key, value] of Object.entries(p.params ?? {}))
          params[key] = typeof value === 'string' && isoDate.test(value) ? formatDate(value) : value;
        const text = t(`validation.${p.rule}`, params);
        return p.rule === 'certificateNumberTaken' && p.params?.row !== undefined
          ? `${text} ${t('certificateImport.sameAsRow', { row: p.params.row })}`
          : text;
      };
      const mayCommit = report !== null && !report.committed && report.problems.length === 0;
      return sendPage(
        reply,
        renderDocument(
          <Layout page={page} title={t('certificateImport.title')}>
            <p class="eyebrow">{t('certificateImport.title')}</p>
            <h1>{job.fileName}</h1>
            <p>
              {t('certificateImport.fileSummary', {
                rows: job.table.rows.length,
                columns: job.table.headers.length,
              })}
              {job.table.encoding && job.table.encoding !== 'utf-8'
                ? ` ${t('certificateImport.legacyEncoding', { encoding: job.table.encoding })}`
                : ''}
            </p>
            {job.error ? (
              <p class="alert" role="alert">
                {t(`errors.${job.error.code}`, job.error.params)}
              </p>
            ) : null}
            {report ? (
              <>
                <p
                  class={!report.committed && report.problems.length > 0 ? 'alert' : 'notice'}
                  role="status"
                  data-testid="import-summary"
                >
                  {report.committed
                    ? t('certificateImport.committed', { create: report.create, unchanged: report.unchanged })
                    : report.problems.length > 0
                      ? t('certificateImport.hasProblems', { count: report.problems.length })
                      : t('certificateImport.dryRunOk', {
                          create: report.create,
                          unchanged: report.unchanged,
                        })}
                </p>
                {report.replaces.length > 0 ? (
                  <div class="notice" data-testid="import-replaces">
                    <p>{t('certificateImport.replaces', { count: report.replaces.length })}</p>
                    <ul>
                      {report.replaces.map((r) => (
                        <li>
                          {t('certificateImport.replacesRow', {
                            row: r.row,
                            number: r.number,
                            stars: r.stars,
                            until: formatDate(r.validUntil),
                          })}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : null}
                {report.problems.length > 0 ? (
                  <div class="table-wrap">
                    {report.problems.length > SHOWN_PROBLEMS ? (
                      <p>
                        {t('certificateImport.moreProblems', {
                          shown: SHOWN_PROBLEMS,
                          count: report.problems.length,
                        })}
                      </p>
                    ) : null}
                    <table data-testid="import-problems">
                      <thead>
                        <tr>
                          <th scope="col">{t('certificateImport.row')}</th>
                          <th scope="col">{t('certificateImport.column')}</th>
                          <th scope="col">{t('certificateImport.problem')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {report.problems.slice(0, SHOWN_PROBLEMS).map((p) => (
                          <tr>
                            <td>{p.row}</td>
                            <td>{columnText(p)}</td>
                            <td>{problemText(p)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ) : null}
              </>
            ) : null}
            {report?.committed ? null : (
              <form method="post" action={`/certificates/import/${job.id}`} class="form form-wide">
                <CsrfField page={page} />
                <fieldset>
                  <legend>{t('certificateImport.mapping')}</legend>
                  {CERTIFICATE_IMPORT_FIELDS.map((field) => (
                    <div class="field">
                      <label for={`map-${field.key}`}>
                        {fieldLabel(field.key)}
                        {field.required ? ' *' : ''}
                      </label>
                      <select id={`map-${field.key}`} name={`mapping/${field.key}`}>
                        <option value="">{t('certificateImport.notInFile')}</option>
                        {job.table.headers.map((heading, index) => (
                          <option value={String(index)} selected={job.mapping[field.key] === index}>
                            {`${columnLetter(index)}: ${heading}`}
                          </option>
                        ))}
                      </select>
                    </div>
                  ))}
                </fieldset>
                <p class="actions">
                  <button type="submit" name="action" value="check" class="secondary">
                    {t('certificateImport.check')}
                  </button>
                  {mayCommit ? (
                    <button type="submit" name="action" value="commit" data-testid="import-commit">
                      {t('certificateImport.commit')}
                    </button>
                  ) : null}
                </p>
              </form>
            )}
            <p>
              <a href="/certificates/import">{t('certificateImport.another')}</a>
              {' · '}
              <a href="/certificates">{t('certificateImport.seeList')}</a>
            </p>
          </Layout>,
        ),
      );
    },
  );

  app.post(
    '/certificates/import/:id',
    { schema: { hide: true, params: JobParams } },
    async (request, reply) => {
      const principal = requireImporter(request.principal);
      const job = jobOf(principal, request.params.id);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const mapping: Record<string, number> = {};
      const keys: readonly string[] = CERTIFICATE_IMPORT_KEYS;
      for (const [name, value] of Object.entries(body)) {
        const m = /^mapping\/(\w+)$/.exec(name);
        if (!m || !keys.includes(m[1]!) || typeof value !== 'string' || !/^\d+$/.test(value)) continue;
        if (Number(value) < job.table.headers.length) mapping[m[1]!] = Number(value);
      }
      job.mapping = mapping;
      await runJob(job, principal, auditContextOf(request), body.action === 'commit');
      return reply.redirect(`/certificates/import/${job.id}`, 303);
    },
  );
}
