import { formatDate, formatDateTime } from '../../platform/time.ts';
import { Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { EMPTY, Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import { DemoBadge, listUrl } from '../producers/index.ts';
import type { DocumentInfo } from './documents.service.ts';
import { COMMUNE_ITEMS, DOCUMENT_KINDS } from './dossier-checklist.ts';
import { DOSSIER_STATUSES, type DossierAction } from './dossier-states.ts';
import type { Dossier, DossierDetail } from './dossiers.service.ts';
import { productSet } from './product-sets.ts';
import type { Product } from './products.service.ts';

/** The commune's countdown: days left, or how late. */
export function Countdown(props: { page: PageContext; dossier: Dossier }): Html {
  const { t } = props.page;
  const d = props.dossier;
  if (d.workingDaysLeft === null) return EMPTY;
  return d.overdue ? (
    <span class="badge badge-overdue">{t('dossiers.overdue', { days: -d.workingDaysLeft })}</span>
  ) : (
    <span class="badge badge-ok">
      {t('dossiers.daysLeft', { days: d.workingDaysLeft, date: formatDate(d.dueOn, props.page.locale) })}
    </span>
  );
}

export function DossiersPage(props: {
  page: PageContext;
  dossiers: Dossier[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  products: Map<string, Product>;
  canExport: boolean;
}): Html {
  const { page, query } = props;
  const { t } = page;
  const filters = { values: query as Record<string, string>, errors: [] };
  return (
    <Layout page={page} title={t('dossiers.title')}>
      <h1>{t('dossiers.title')}</h1>
      <p class="actions">
        <a href="/dossiers?status=submitted">{t('dossiers.quick.submitted')}</a>
        <a href="/dossiers?overdue=true">{t('dossiers.quick.overdue')}</a>
        <a href="/dossiers?status=returned">{t('dossiers.quick.returned')}</a>
        <a href="/dossiers?status=forwarded">{t('dossiers.quick.forwarded')}</a>
        {props.canExport ? (
          <>
            <a href={listUrl('/dossiers/export', query, { format: 'xlsx' })}>{t('producers.exportXlsx')}</a>
            <a href={listUrl('/dossiers/export', query, { format: 'csv' })}>{t('producers.exportCsv')}</a>
          </>
        ) : null}
      </p>
      <form method="get" action="/dossiers" class="filters">
        <Field
          page={page}
          form={filters}
          name="status"
          label={t('dossiers.statusLabel')}
          options={[
            { value: '', label: t('producers.any') },
            ...DOSSIER_STATUSES.map((s) => ({ value: s, label: t(`dossiers.status.${s}`) })),
          ]}
        />
        <Field page={page} form={filters} name="overdue" label={t('dossiers.overdueOnly')} type="checkbox" />
        <p>
          <button type="submit">{t('producers.filter')}</button>
        </p>
      </form>
      {props.dossiers.length === 0 ? (
        <p>{t('dossiers.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('products.name')}</th>
                <th scope="col">{t('dossiers.kind')}</th>
                <th scope="col">{t('dossiers.statusLabel')}</th>
                <th scope="col">{t('dossiers.deadline')}</th>
                <th scope="col">{t('dossiers.updatedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {props.dossiers.map((d) => (
                <tr>
                  <td>
                    <a href={`/dossiers/${d.id}`}>{props.products.get(d.productId)?.name ?? d.productId}</a>{' '}
                    <DemoBadge page={page} show={d.isDemo} />
                  </td>
                  <td>{t(`dossiers.kind.${d.kind}`)}</td>
                  <td>{t(`dossiers.status.${d.status}`)}</td>
                  <td>
                    <Countdown page={page} dossier={d} />
                  </td>
                  <td>{formatDateTime(d.updatedAt, page.locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.nextCursor ? (
        <p>
          <a href={listUrl('/dossiers', query, { cursor: props.nextCursor })} rel="next">
            {t('producers.next')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

const ACTION_STYLE: Partial<Record<DossierAction, string>> = { return: 'secondary', withdraw: 'secondary' };

export function DossierPage(props: {
  page: PageContext;
  dossier: DossierDetail;
  documents: DocumentInfo[];
  communeName: string;
  forms: FormState;
  upload: FormState;
  action: FormState;
  uploadLimitMb: number;
}): Html {
  const { page, dossier: d, forms } = props;
  const { t } = page;
  const readOnly = !d.editable;
  // in the checklist's order
  const rank = (kind: string) => (DOCUMENT_KINDS as readonly string[]).indexOf(kind);
  const documents = [...props.documents].sort((a, b) => rank(a.kind) - rank(b.kind));
  const uploadKinds: readonly string[] = d.editable
    ? DOCUMENT_KINDS.filter((k) => k !== 'commune_report')
    : ['commune_report'];
  const uploadError = props.upload.errors[0];
  const missingCount = d.checklist.filter((i) => i.required && !i.satisfied).length;
  const communeSide = d.actions.includes('check') || d.actions.includes('forward');
  return (
    <Layout page={page} title={`${t('dossiers.one')} · ${d.productName}`}>
      <p class="eyebrow">
        {d.producerName} · {props.communeName}
      </p>
      <h1>
        {d.productName} <DemoBadge page={page} show={d.isDemo} />
      </h1>
      <p>
        <span class="badge" data-testid="dossier-status">
          {t(`dossiers.status.${d.status}`)}
        </span>{' '}
        {t(`dossiers.kind.${d.kind}`)} · {t('products.productSet')} {d.productSet}.{' '}
        {productSet(d.productSet)?.name ?? ''} <Countdown page={page} dossier={d} />
      </p>
      {d.productCode ? (
        <p>
          {t('products.productCode')}: <strong data-testid="product-code">{d.productCode}</strong>
        </p>
      ) : null}
      {d.returnComment && d.status === 'returned' ? (
        <div class="alert" role="status" data-testid="return-comment">
          <strong>{t('dossiers.returnedWith')}</strong> {d.returnComment}
        </div>
      ) : null}

      <h2 id="checklist">{t('dossiers.checklist')}</h2>
      <p>
        {missingCount === 0 ? t('dossiers.completeYes') : t('dossiers.missingCount', { count: missingCount })}
      </p>
      <ul class="checklist" data-testid="checklist">
        {d.checklist.map((item) => (
          <li class={item.satisfied ? 'done' : item.required ? 'missing' : ''}>
            {t(`dossiers.item.${item.key}`)}{' '}
            {item.required ? '' : <small>({t('dossiers.recommended')})</small>}
          </li>
        ))}
      </ul>

      <section aria-labelledby="actions-title">
        <h2 id="actions-title">{t('dossiers.actions')}</h2>
        <FormMessage form={props.action} />
        {d.actions.length === 0 ? <p>{t('dossiers.noActions')}</p> : null}
        {d.actions
          .filter((a) => a !== 'return' && a !== 'check')
          .map((action) => (
            <form method="post" action={`/dossiers/${d.id}/actions/${action}`} class="inline-form">
              <CsrfField page={page} />
              <input type="hidden" name="version" value={String(d.version)} />
              <button type="submit" class={ACTION_STYLE[action] ?? ''} data-action={action}>
                {t(`dossiers.action.${action}`)}
              </button>{' '}
            </form>
          ))}
        {d.actions.includes('check') ? (
          <form method="post" action={`/dossiers/${d.id}/actions/check`} class="form form-wide">
            <CsrfField page={page} />
            <input type="hidden" name="version" value={String(d.version)} />
            <fieldset>
              <legend>{t('dossiers.communeReport')}</legend>
              {COMMUNE_ITEMS.map((item) => (
                <fieldset class="choice">
                  <legend>{t(`dossiers.communeItem.${item}`)}</legend>
                  <label>
                    <input type="radio" name={`communeReport/${item}/met`} value="yes" required />{' '}
                    {t('dossiers.met')}
                  </label>
                  <label>
                    <input type="radio" name={`communeReport/${item}/met`} value="no" />{' '}
                    {t('dossiers.notMet')}
                  </label>
                  <input
                    type="text"
                    name={`communeReport/${item}/comment`}
                    aria-label={`${t(`dossiers.communeItem.${item}`)}: ${t('dossiers.comment')}`}
                    placeholder={t('dossiers.comment')}
                  />
                </fieldset>
              ))}
            </fieldset>
            <p>
              <button type="submit" data-action="check">
                {t('dossiers.action.check')}
              </button>
            </p>
          </form>
        ) : null}
        {d.actions.includes('return') ? (
          <form method="post" action={`/dossiers/${d.id}/actions/return`} class="form">
            <CsrfField page={page} />
            <input type="hidden" name="version" value={String(d.version)} />
            <Field
              page={page}
              form={props.action}
              name="comment"
              label={t('dossiers.returnComment')}
              type="textarea"
              hint={t('dossiers.returnHint')}
            />
            <p>
              <button type="submit" class="secondary" data-action="return">
                {t('dossiers.action.return')}
              </button>
            </p>
          </form>
        ) : null}
        {d.communeReport && !communeSide ? (
          <>
            <h3>{t('dossiers.communeReport')}</h3>
            <ul>
              {COMMUNE_ITEMS.map((item) => (
                <li>
                  {t(`dossiers.communeItem.${item}`)}:{' '}
                  {d.communeReport?.[item]?.met ? t('dossiers.met') : t('dossiers.notMet')}
                  {d.communeReport?.[item]?.comment ? ` — ${d.communeReport[item]?.comment}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <h2 id="forms">{t('dossiers.forms')}</h2>
      <p class="notice">
        <a href={`/dossiers/${d.id}/self-assessment`} data-testid="self-assessment-link">
          {t('dossiers.selfScoring')}
        </a>
        {d.selfAssessment.scoring
          ? ` — ${t('dossiers.selfScoringSaved', {
              score: d.selfAssessment.scoring.score.toFixed(2),
              stars: '★'.repeat(d.selfAssessment.scoring.stars) || '—',
            })}`
          : ''}
      </p>
      <form method="post" action={`/dossiers/${d.id}/forms`} class="form form-wide" novalidate>
        <CsrfField page={page} />
        <FormMessage form={forms} />
        <input type="hidden" name="version" value={forms.values.version ?? String(d.version)} />
        <fieldset disabled={readOnly}>
          <legend>{t('dossiers.registrationForm')}</legend>
          <Field
            page={page}
            form={forms}
            name="representativeName"
            label={t('producers.representativeName')}
          />
          <Field
            page={page}
            form={forms}
            name="representativeTitle"
            label={t('producers.representativeTitle')}
          />
          <Field page={page} form={forms} name="phone" label={t('producers.phone')} type="tel" />
          <Field page={page} form={forms} name="productionAddress" label={t('dossiers.productionAddress')} />
          <Field
            page={page}
            form={forms}
            name="sampleCount"
            label={t('dossiers.sampleCount')}
            type="number"
            hint={d.productSet === 26 ? t('dossiers.noSamplesTourism') : t('dossiers.samplesHint')}
          />
          <Field
            page={page}
            form={forms}
            name="commitment"
            label={t('dossiers.commitment')}
            type="checkbox"
          />
        </fieldset>
        <fieldset disabled={readOnly}>
          <legend>{t('dossiers.selfAssessment')}</legend>
          <Field
            page={page}
            form={forms}
            name="generalInfo"
            label={t('dossiers.generalInfo')}
            type="textarea"
          />
          <Field
            page={page}
            form={forms}
            name="businessResults"
            label={t('dossiers.businessResults')}
            type="textarea"
          />
          <Field
            page={page}
            form={forms}
            name="businessPlan"
            label={t('dossiers.businessPlan')}
            type="textarea"
          />
        </fieldset>
        {readOnly ? null : (
          <p>
            <button type="submit">{t('dossiers.saveForms')}</button>
          </p>
        )}
      </form>

      <h2 id="documents">{t('dossiers.documents')}</h2>
      {documents.length === 0 ? <p>{t('dossiers.noDocuments')}</p> : null}
      <ul>
        {documents.map((doc) => (
          <li>
            {t(`dossiers.item.${doc.kind}`)}:{' '}
            <a href={`/documents/${doc.id}`} target="_blank" rel="noopener">
              {doc.fileName}
            </a>{' '}
            <small>
              ({Math.max(1, Math.round(doc.size / 1024))} KB · {formatDateTime(doc.uploadedAt, page.locale)}
              {doc.replacesId ? ` · ${t('dossiers.replacedVersion')}` : ''})
            </small>{' '}
            <a href={`/documents/${doc.id}?download=true`}>{t('dossiers.download')}</a>
            {doc.replacesId ? (
              <>
                {' · '}
                <a href={`/documents/${doc.id}/versions`}>{t('documents.versions')}</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {d.editable || communeSide ? (
        <form method="post" action={`/dossiers/${d.id}/documents`} enctype="multipart/form-data" class="form">
          <CsrfField page={page} />
          <div class="field">
            <label for="f-kind">{t('dossiers.documentKind')}</label>
            <select id="f-kind" name="kind">
              {uploadKinds.map((kind) => (
                <option value={kind}>{t(`dossiers.item.${kind}`)}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-replaces">{t('dossiers.replaces')}</label>
            <select id="f-replaces" name="replacesId">
              <option value="">{t('dossiers.replacesNone')}</option>
              {documents
                .filter((doc) => uploadKinds.includes(doc.kind))
                .map((doc) => (
                  <option value={doc.id}>{`${t(`dossiers.item.${doc.kind}`)}: ${doc.fileName}`}</option>
                ))}
            </select>
          </div>
          <div class={uploadError ? 'field field-error' : 'field'}>
            <label for="f-file">{t('dossiers.file')}</label>
            <p class="hint" id="f-file-hint">
              {t('dossiers.fileHint', { limit: props.uploadLimitMb })}
            </p>
            <input
              id="f-file"
              type="file"
              name="file"
              required
              aria-describedby={uploadError ? 'f-file-error f-file-hint' : 'f-file-hint'}
              aria-invalid={uploadError ? 'true' : undefined}
              autofocus={uploadError ? true : undefined}
              accept=".pdf,.jpg,.jpeg,.png,.xlsx,.docx"
            />
            {uploadError ? (
              <p class="error" id="f-file-error" role="alert">
                {props.upload.message ?? t(`errors.${uploadError.rule}`, uploadError.params)}
              </p>
            ) : null}
          </div>
          <p>
            <button type="submit">{t('products.upload')}</button>
          </p>
        </form>
      ) : null}

      <h2>{t('dossiers.history')}</h2>
      <ol>
        {d.events.map((e) => (
          <li>
            {formatDateTime(e.occurredAt, page.locale)} · {e.actorName ?? ''} ·{' '}
            {t(`dossiers.event.${e.action}`)} → {t(`dossiers.status.${e.toStatus}`)}
            {e.comment ? ` — “${e.comment}”` : ''}
          </li>
        ))}
      </ol>
      <p>
        <a href={`/products/${d.productId}`}>{t('dossiers.backToProduct')}</a>
      </p>
    </Layout>
  );
}
