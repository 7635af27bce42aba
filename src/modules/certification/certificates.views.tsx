/** Back-office pages of the certificate register: the list, one certificate, recording, the re-evaluation queue. */
import { formatDate } from '../../platform/time.ts';
import { Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { EMPTY, Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import { DemoBadge } from '../producers/index.ts';
import {
  CERTIFICATE_LEVELS,
  CERTIFICATE_STATUSES,
  type CertificateStatus,
  REVOCATION_GROUNDS,
} from './certificate.model.ts';
import type { Certificate } from './certificates.service.ts';

const STATUS_CLASS: Record<CertificateStatus, string> = {
  valid: 'status status-decided',
  reevaluation_window: 'status status-open',
  valid_pending_reevaluation: 'status status-open',
  expired: 'status status-cancelled',
  revoked: 'status status-cancelled',
  superseded: 'status',
  not_yet_valid: 'status',
};

export function StatusBadge(props: { page: PageContext; status: CertificateStatus }): Html {
  return (
    <span class={STATUS_CLASS[props.status]}>{props.page.t(`certificates.status.${props.status}`)}</span>
  );
}

export const starsText = (stars: number) => '★'.repeat(stars);

function Facts(props: { rows: [string, Html | string | null | undefined][] }): Html {
  return (
    <dl class="facts">
      {props.rows
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
  );
}

export function CertificatesPage(props: {
  page: PageContext;
  items: Certificate[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  mayRecord: boolean;
}): Html {
  const { page, items, query } = props;
  const { t, locale } = page;
  const next = props.nextCursor
    ? `/certificates?${new URLSearchParams({ ...(Object.fromEntries(Object.entries(query).filter(([, v]) => v)) as Record<string, string>), cursor: props.nextCursor }).toString()}`
    : null;
  return (
    <Layout page={page} title={t('certificates.title')}>
      <h1>{t('certificates.title')}</h1>
      <p>{t('certificates.intro')}</p>
      <p class="actions">
        {props.mayRecord ? (
          <>
            <a class="button" href="/certificates/new">
              {t('certificates.new')}
            </a>{' '}
            <a class="button secondary" href="/certificates/import">
              {t('certificates.import')}
            </a>{' '}
            <a class="button secondary" href="/certificates/re-evaluation">
              {t('certificates.queue')}
            </a>{' '}
          </>
        ) : null}
        <a href="/verify">{t('verify.nav')}</a> ·{' '}
        <a href="/open-data/certificates.csv">{t('certificates.openData')} (CSV)</a> ·{' '}
        <a href="/open-data/certificates.jsonld">JSON-LD</a>
      </p>
      <form class="filters" method="get" action="/certificates">
        <div class="field">
          <label for="f-q">{t('certificates.search')}</label>
          <input id="f-q" name="q" value={query.q ?? ''} />
        </div>
        <div class="field">
          <label for="f-status">{t('certificates.statusFilter')}</label>
          <select id="f-status" name="status">
            <option value="">{t('certificates.anyStatus')}</option>
            {CERTIFICATE_STATUSES.map((s) => (
              <option value={s} selected={query.status === s}>
                {t(`certificates.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-stars">{t('certificates.stars')}</label>
          <select id="f-stars" name="stars">
            <option value="">{t('certificates.anyStars')}</option>
            {[3, 4, 5].map((s) => (
              <option value={String(s)} selected={query.stars === String(s)}>
                {t('certificates.starsValue', { stars: s })}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-commune">{t('certificates.commune')}</label>
          <input id="f-commune" name="communeCode" value={query.communeCode ?? ''} inputmode="numeric" />
        </div>
        <div class="field">
          <label for="f-within">{t('certificates.expiringWithin')}</label>
          <input
            id="f-within"
            name="expiringWithinDays"
            value={query.expiringWithinDays ?? ''}
            inputmode="numeric"
          />
        </div>
        <button type="submit">{t('certificates.filter')}</button>
      </form>
      {items.length === 0 ? (
        <p>{t('certificates.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('certificates.number')}</th>
                <th>{t('certificates.product')}</th>
                <th>{t('certificates.producer')}</th>
                <th>{t('certificates.stars')}</th>
                <th>{t('certificates.issuedOn')}</th>
                <th>{t('certificates.validUntil')}</th>
                <th>{t('certificates.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr>
                  <td>
                    <a href={`/certificates/${c.id}`}>{c.number}</a> <DemoBadge page={page} show={c.isDemo} />
                  </td>
                  <td>{c.productName}</td>
                  <td>{c.producerName}</td>
                  <td>
                    <span
                      class="stars"
                      role="img"
                      aria-label={t('certificates.starsValue', { stars: c.stars })}
                    >
                      {starsText(c.stars)}
                    </span>
                  </td>
                  <td>{formatDate(c.issuedOn, locale)}</td>
                  <td>{formatDate(c.validUntil, locale)}</td>
                  <td>
                    <StatusBadge page={page} status={c.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <p>
          <a href={next}>{t('certificates.next')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function CertificatePage(props: {
  page: PageContext;
  certificate: Certificate;
  history: Certificate[];
  reminders: { kind: string; sent: boolean; recordedOn: string }[];
  mayPrint: boolean;
  mayRecord: boolean;
  revokeForm: FormState;
  status?: number;
}): Html {
  const { page, certificate: c } = props;
  const { t, locale } = page;
  const date = (d: string | null | undefined) => (d ? formatDate(d, locale) : null);
  const inForce = ['valid', 'reevaluation_window', 'valid_pending_reevaluation'].includes(c.status);
  return (
    <Layout page={page} title={`${t('certificates.number')} ${c.number}`}>
      <p class="eyebrow">
        <a href="/certificates">{t('certificates.title')}</a>
      </p>
      <h1>
        {c.productName} <DemoBadge page={page} show={c.isDemo} />
      </h1>
      <p>
        <StatusBadge page={page} status={c.status} /> <span class="stars">{starsText(c.stars)}</span>{' '}
        {t('certificates.starsValue', { stars: c.stars })}
      </p>
      <Facts
        rows={[
          [t('certificates.number'), c.number],
          [t('certificates.producer'), c.producerName],
          [t('certificates.level'), t(`certificates.levels.${c.level}`)],
          [
            t('certificates.score'),
            c.score === null
              ? null
              : c.score.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB', {
                  minimumFractionDigits: 2,
                  maximumFractionDigits: 2,
                }),
          ],
          [
            t('certificates.decision'),
            `${c.decision.number}, ${date(c.decision.date)}, ${c.decision.signer}`,
          ],
          [t('certificates.issuedOn'), date(c.issuedOn)],
          [t('certificates.validUntil'), date(c.validUntil)],
          [t('certificates.validityReason'), c.validityReason],
          [
            t('certificates.window'),
            t('certificates.windowRange', { opens: date(c.window.opens)!, closes: date(c.window.closes)! }),
          ],
          [
            t('certificates.reevaluationFiled', { date: date(c.reevaluation?.filedOn) ?? '' }),
            c.reevaluation ? (
              <a href={`/dossiers/${c.reevaluation.dossierId}`}>{c.reevaluation.dossierId.slice(0, 8)}</a>
            ) : null,
          ],
          [
            t('certificates.supersedesLink'),
            c.supersedesId ? (
              <a href={`/certificates/${c.supersedesId}`}>{c.supersedesId.slice(0, 8)}</a>
            ) : null,
          ],
          [
            t('certificates.supersededBy'),
            c.supersededById ? (
              <a href={`/certificates/${c.supersededById}`}>{date(c.supersededOn)}</a>
            ) : null,
          ],
        ]}
      />
      <p class="hint">{t(`certificates.source.${c.source}`)}</p>
      {c.revocation ? (
        <>
          <h2>{t('certificates.revocation')}</h2>
          <Facts
            rows={[
              [t('certificates.revocationGround'), t(`certificates.ground.${c.revocation.ground}`)],
              [t('certificates.revocationDecision'), c.revocation.decisionNumber],
              [t('certificates.revocationDate'), date(c.revocation.on)],
              [t('certificates.revocationSigner'), c.revocation.signer],
              [t('certificates.revocationReason'), c.revocation.reason],
            ]}
          />
        </>
      ) : null}
      <p class="actions">
        <a href={`/verify/${c.id}`}>{t('certificates.verifyLink')}</a>
        {props.mayPrint ? (
          <>
            {' · '}
            <a href={`/certificates/${c.id}/certificate.pdf`}>{t('certificates.pdf')}</a>
            {' · '}
            {inForce ? (
              <a href={`/certificates/${c.id}/mark.svg`}>{t('certificates.mark')}</a>
            ) : (
              <span>{t('certificates.noMark')}</span>
            )}
          </>
        ) : null}
      </p>
      {props.mayPrint && props.reminders.length > 0 ? (
        <>
          <h2>{t('certificates.reminders')}</h2>
          <ul>
            {props.reminders.map((r) => (
              <li>
                {t(`certificates.reminder.${r.kind}`)}:{' '}
                {t(r.sent ? 'certificates.reminderSent' : 'certificates.reminderSkipped', {
                  date: date(r.recordedOn)!,
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {props.history.length > 1 ? (
        <>
          <h2>{t('certificates.history')}</h2>
          <ul>
            {props.history.map((h0) => (
              <li>
                {h0.id === c.id ? (
                  <strong>{h0.number}</strong>
                ) : (
                  <a href={`/certificates/${h0.id}`}>{h0.number}</a>
                )}{' '}
                {starsText(h0.stars)} {date(h0.issuedOn)} – {date(h0.validUntil)}{' '}
                <StatusBadge page={page} status={h0.status} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {props.mayRecord && !c.revocation && !c.supersededById ? (
        <details
          class="danger-zone"
          open={props.revokeForm.errors.length > 0 || Boolean(props.revokeForm.message)}
        >
          <summary>{t('certificates.revoke')}</summary>
          <p class="hint">{t('certificates.revokeIntro')}</p>
          <form method="post" action={`/certificates/${c.id}/revocation`} class="stack">
            <CsrfField page={page} />
            <FormMessage form={props.revokeForm} />
            <input type="hidden" name="version" value={String(c.version)} />
            <Field
              page={page}
              form={props.revokeForm}
              name="ground"
              label={t('certificates.revocationGround')}
              required
              options={[
                { value: '', label: '—' },
                ...REVOCATION_GROUNDS.map((g) => ({ value: g, label: t(`certificates.ground.${g}`) })),
              ]}
            />
            <Field
              page={page}
              form={props.revokeForm}
              name="decisionNumber"
              label={t('certificates.revocationDecision')}
              required
            />
            <Field
              page={page}
              form={props.revokeForm}
              name="decisionDate"
              type="date"
              label={t('certificates.revocationDate')}
              required
            />
            <Field
              page={page}
              form={props.revokeForm}
              name="signer"
              label={t('certificates.revocationSigner')}
              required
            />
            <Field
              page={page}
              form={props.revokeForm}
              name="reason"
              type="textarea"
              label={t('certificates.revocationReason')}
            />
            <button type="submit">{t('certificates.revoke')}</button>
          </form>
        </details>
      ) : (
        EMPTY
      )}
    </Layout>
  );
}

export function NewCertificatePage(props: {
  page: PageContext;
  form: FormState;
  products: { id: string; label: string }[];
  q: string;
}): Html {
  const { page, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('certificates.new')}>
      <p class="eyebrow">
        <a href="/certificates">{t('certificates.title')}</a>
      </p>
      <h1>{t('certificates.new')}</h1>
      <p>{t('certificates.newIntro')}</p>
      <form method="get" action="/certificates/new" class="filters">
        <div class="field">
          <label for="f-q">{t('certificates.findProduct')}</label>
          <input id="f-q" name="q" value={props.q} maxlength="200" />
        </div>
        <button type="submit" class="secondary">
          {t('certificates.filter')}
        </button>
      </form>
      <form method="post" action="/certificates" class="stack">
        <CsrfField page={page} />
        <FormMessage form={form} />
        <Field
          page={page}
          form={form}
          name="productId"
          label={t('certificates.product')}
          required
          options={[
            { value: '', label: '—' },
            ...props.products.map((p) => ({ value: p.id, label: p.label })),
          ]}
        />
        <Field
          page={page}
          form={form}
          name="level"
          label={t('certificates.level')}
          required
          options={CERTIFICATE_LEVELS.map((l) => ({ value: l, label: t(`certificates.levels.${l}`) }))}
        />
        <Field
          page={page}
          form={form}
          name="stars"
          label={t('certificates.stars')}
          required
          options={[3, 4, 5].map((s) => ({
            value: String(s),
            label: t('certificates.starsValue', { stars: s }),
          }))}
        />
        <Field page={page} form={form} name="score" label={t('certificates.score')} />
        <Field
          page={page}
          form={form}
          name="number"
          label={t('certificates.number')}
          hint={t('certificates.numberHint')}
        />
        <Field
          page={page}
          form={form}
          name="decisionNumber"
          label={t('certificates.decisionNumber')}
          required
        />
        <Field
          page={page}
          form={form}
          name="decisionDate"
          type="date"
          label={t('certificates.decisionDate')}
          required
        />
        <Field
          page={page}
          form={form}
          name="decisionSigner"
          label={t('certificates.decisionSigner')}
          required
        />
        <Field
          page={page}
          form={form}
          name="issuedOn"
          type="date"
          label={t('certificates.issuedOn')}
          hint={t('certificates.issuedOnHint')}
        />
        <Field
          page={page}
          form={form}
          name="validUntil"
          type="date"
          label={t('certificates.validUntil')}
          hint={t('certificates.validUntilHint')}
        />
        <Field page={page} form={form} name="validityReason" label={t('certificates.validityReason')} />
        <Field
          page={page}
          form={form}
          name="supersede"
          type="checkbox"
          label={t('certificates.supersedes')}
          hint={t('certificates.supersedesHint')}
        />
        <button type="submit">{t('certificates.save')}</button>
      </form>
    </Layout>
  );
}

export function QueuePage(props: {
  page: PageContext;
  today: string;
  items: Certificate[];
  lastRun: string | null;
}): Html {
  const { page, items, today } = props;
  const { t, locale } = page;
  const days = (d: string) => Math.round((Date.parse(d) - Date.parse(today)) / 86_400_000);
  return (
    <Layout page={page} title={t('certificates.queueTitle')}>
      <p class="eyebrow">
        <a href="/certificates">{t('certificates.title')}</a>
      </p>
      <h1>{t('certificates.queueTitle')}</h1>
      <p>{t('certificates.queueIntro')}</p>
      <p class="hint">
        {props.lastRun
          ? t('certificates.lastRun', { date: formatDate(props.lastRun, locale) })
          : t('certificates.neverRun')}
      </p>
      {items.length === 0 ? (
        <p>{t('certificates.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('certificates.product')}</th>
                <th>{t('certificates.producer')}</th>
                <th>{t('certificates.stars')}</th>
                <th>{t('certificates.validUntil')}</th>
                <th>{t('certificates.window')}</th>
                <th>{t('certificates.status')}</th>
                <th>{t('certificates.queueFiled')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => {
                const left = days(c.validUntil);
                return (
                  <tr>
                    <td>
                      <a href={`/certificates/${c.id}`}>{c.productName}</a>{' '}
                      <DemoBadge page={page} show={c.isDemo} />
                    </td>
                    <td>{c.producerName}</td>
                    <td>{starsText(c.stars)}</td>
                    <td>
                      {formatDate(c.validUntil, locale)}{' '}
                      <span class="hint">
                        (
                        {left >= 0
                          ? t('certificates.daysLeft', { days: left })
                          : t('certificates.daysAgo', { days: -left })}
                        )
                      </span>
                    </td>
                    <td>
                      {formatDate(c.window.opens, locale)} – {formatDate(c.window.closes, locale)}
                    </td>
                    <td>
                      <StatusBadge page={page} status={c.status} />
                    </td>
                    <td>
                      {c.reevaluation ? (
                        <a href={`/dossiers/${c.reevaluation.dossierId}`}>
                          {formatDate(c.reevaluation.filedOn, locale)}
                        </a>
                      ) : (
                        t('certificates.queueNotFiled')
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
