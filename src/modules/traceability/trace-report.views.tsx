/** "Report a problem" (a shopper's form) and the scans dashboard of producers and offices. */
import { formatDateTime } from '../../platform/time.ts';
import { Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import type { ScansService } from './scans.service.ts';

export const REPORT_KINDS = ['fake', 'quality', 'label', 'expired', 'other'] as const;

export function ProblemReportPage(props: { page: PageContext; form: FormState; sent: boolean }): Html {
  const { page, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('traceReport.title')}>
      <h1>{t('traceReport.title')}</h1>
      {props.sent ? (
        <p class="notice" role="status">
          {t('traceReport.sent')}
        </p>
      ) : (
        <form method="post" action="/trace/report" class="form">
          <CsrfField page={page} />
          <p class="hint">{t('traceReport.intro')}</p>
          <FormMessage form={form} />
          <input type="hidden" name="lot" value={form.values.lot ?? ''} />
          <input type="hidden" name="serial" value={form.values.serial ?? ''} />
          <Field page={page} form={form} name="gtin" label={t('traceReport.gtin')} required />
          {form.values.lot ? (
            <p>
              {t('traceReport.lot')}: <strong>{form.values.lot}</strong>
              {form.values.serial ? ` · ${t('traceReport.serial')}: ${form.values.serial}` : ''}
            </p>
          ) : null}
          <Field
            page={page}
            form={form}
            name="kind"
            label={t('traceReport.kind')}
            required
            options={REPORT_KINDS.map((k) => ({ value: k, label: t(`traceReport.kind.${k}`) }))}
          />
          <Field
            page={page}
            form={form}
            name="message"
            label={t('traceReport.message')}
            type="textarea"
            required
          />
          <Field
            page={page}
            form={form}
            name="contact"
            label={t('traceReport.contact')}
            hint={t('traceReport.contactHint')}
            autocomplete="off"
          />
          <button type="submit">{t('traceReport.send')}</button>
        </form>
      )}
    </Layout>
  );
}

type Dashboard = Awaited<ReturnType<ScansService['dashboard']>>;

export function ScansPage(props: { page: PageContext; dashboard: Dashboard }): Html {
  const { page, dashboard } = props;
  const { t } = page;
  const total = dashboard.perDay.reduce((sum, r) => sum + r.scans, 0);
  return (
    <Layout page={page} title={t('scans.title')}>
      <h1>{t('scans.title')}</h1>
      <p>{t('scans.summary', { days: dashboard.days, total })}</p>
      <form method="get" action="/trace/scans" class="inline-form">
        <label for="days">{t('scans.days')}</label>{' '}
        <input id="days" name="days" type="number" min="1" max="366" value={String(dashboard.days)} />{' '}
        <button type="submit">{t('scans.show')}</button>
      </form>

      <h2>{t('scans.suspicious')}</h2>
      <p class="hint">{t('scans.suspiciousHint')}</p>
      {dashboard.suspicious.length === 0 ? (
        <p>{t('scans.noneSuspicious')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>GTIN</th>
                <th>{t('scans.lot')}</th>
                <th>{t('scans.serial')}</th>
                <th>{t('scans.scans')}</th>
                <th>{t('scans.networks')}</th>
                <th>{t('scans.between')}</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.suspicious.map((s) => (
                <tr class="row-warning">
                  <td>{s.gtin}</td>
                  <td>{s.lot ?? '—'}</td>
                  <td>{s.serial}</td>
                  <td>{String(s.scans)}</td>
                  <td>{String(s.networks)}</td>
                  <td>
                    {formatDateTime(s.firstAt, page.locale)} – {formatDateTime(s.lastAt, page.locale)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('scans.perDay')}</h2>
      {dashboard.perDay.length === 0 ? (
        <p>{t('scans.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('scans.day')}</th>
                <th>GTIN</th>
                <th>{t('scans.lot')}</th>
                <th>{t('scans.scans')}</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.perDay.map((r) => (
                <tr>
                  <td>{r.day}</td>
                  <td>{r.gtin}</td>
                  <td>{r.lot ?? '—'}</td>
                  <td>{String(r.scans)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('scans.reports')}</h2>
      {dashboard.reports.length === 0 ? (
        <p>{t('scans.noReports')}</p>
      ) : (
        <ul class="report-list">
          {dashboard.reports.map((r) => (
            <li>
              <strong>{t(`traceReport.kind.${r.kind}`)}</strong> — {formatDateTime(r.createdAt, page.locale)}{' '}
              — GTIN {r.gtin}
              {r.lot ? ` · ${t('scans.lot')} ${r.lot}` : ''}
              {r.serial ? ` · ${t('scans.serial')} ${r.serial}` : ''}
              <p>{r.message}</p>
              {r.contact ? <p class="hint">{r.contact}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
