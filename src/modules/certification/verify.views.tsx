/**
 * The public verification pages: the verdict in large words and colour (VALID, EXPIRED since when,
 * REVOKED when and why, or a forged QR), the product, its producer, stars and dates, with
 * schema.org `Certification` JSON-LD. Small and without script, for a phone on a slow network.
 */
import { formatDate } from '../../platform/time.ts';
import { Fragment, type Html, h, raw } from '../../platform/views/jsx.ts';
import { Layout, type PageContext } from '../../platform/views/layout.tsx';
import type { CertificateStatus } from './certificate.model.ts';
import type { Certificate } from './certificates.service.ts';
import type { Authenticity } from './signing-keys.service.ts';

/** The headline a status gets on the verification page. */
const VERDICT: Record<CertificateStatus, 'valid' | 'expired' | 'revoked' | 'superseded' | 'not_yet_valid'> = {
  valid: 'valid',
  reevaluation_window: 'valid',
  valid_pending_reevaluation: 'valid',
  expired: 'expired',
  revoked: 'revoked',
  superseded: 'superseded',
  not_yet_valid: 'not_yet_valid',
};

/** 'Tỉnh Cà Mau' → 'tỉnh Cà Mau' (as it reads after "UBND"). */
const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase('vi') + s.slice(1);

const ISSUER: Record<Certificate['level'], (province: string) => string> = {
  district: (p) => `UBND cấp huyện, ${lowerFirst(p)}`,
  province: (p) => `UBND ${lowerFirst(p)}`,
  central: () => 'Bộ Nông nghiệp và Môi trường',
};

export const issuerName = (c: Certificate, provinceName: string) => ISSUER[c.level](provinceName);

/** schema.org Certification (https://schema.org/Certification) of one certificate. */
export function certificationJsonLd(c: Certificate, url: string, provinceName: string) {
  const active = ['valid', 'reevaluation_window', 'valid_pending_reevaluation'].includes(c.status);
  return {
    '@context': 'https://schema.org',
    '@type': 'Certification',
    '@id': url,
    url,
    name: `OCOP ${c.stars} sao`,
    certificationIdentification: c.number,
    certificationStatus: active
      ? 'https://schema.org/CertificationActive'
      : 'https://schema.org/CertificationInactive',
    certificationRating: { '@type': 'Rating', ratingValue: c.stars, bestRating: 5, worstRating: 1 },
    validFrom: c.issuedOn,
    expires: c.statusUntil && c.status === 'valid_pending_reevaluation' ? c.statusUntil : c.validUntil,
    issuedBy: { '@type': 'Organization', name: issuerName(c, provinceName) },
    about: {
      '@type': 'Product',
      name: c.productName,
      manufacturer: { '@type': 'Organization', name: c.producerName },
    },
    ...(c.revocation ? { description: `Revoked ${c.revocation.on} (${c.revocation.ground})` } : {}),
  };
}

export function LookupPage(props: {
  page: PageContext;
  q: string;
  results: Certificate[];
  searched: boolean;
}): Html {
  const { page, results } = props;
  const { t, locale } = page;
  return (
    <Layout page={page} title={t('verify.title')} description={t('verify.intro')}>
      <h1>{t('verify.title')}</h1>
      <p>{t('verify.intro')}</p>
      <form method="get" action="/verify" class="verify-search">
        <label for="f-q">{t('verify.query')}</label>
        <input id="f-q" name="q" value={props.q} maxlength="200" autocomplete="off" />
        <button type="submit">{t('verify.submit')}</button>
      </form>
      {props.searched && results.length === 0 ? (
        <p class="verdict verdict-bad" role="status">
          {t('verify.noMatch', { q: props.q })}
        </p>
      ) : null}
      {results.length > 0 ? (
        <ul class="verify-results">
          {results.map((c) => (
            <li>
              <a href={`/verify/${c.id}`}>
                <strong>{c.productName}</strong>
              </a>{' '}
              — {c.producerName} · {'★'.repeat(c.stars)} · {c.number} ·{' '}
              <span class={`verdict-word verdict-word-${VERDICT[c.status]}`}>
                {t(`verify.verdict.${VERDICT[c.status]}`)}
              </span>{' '}
              ({formatDate(c.validUntil, locale)})
            </li>
          ))}
        </ul>
      ) : null}
      <p class="hint">
        <a href="/.well-known/ocop-keys.json">{t('verify.keys')}</a> ·{' '}
        <a href="/open-data/certificates.csv">{t('certificates.openData')}</a>
      </p>
    </Layout>
  );
}

export function VerdictPage(props: {
  page: PageContext;
  certificate: Certificate;
  authenticity: Authenticity | null;
  provinceName: string;
  imageId: string | null;
  today: string;
  url: string;
  current: Certificate | null;
}): Html {
  const { page, certificate: c, authenticity } = props;
  const { t, locale } = page;
  const date = (d: string | null) => (d ? formatDate(d, locale) : '');
  const forged = authenticity === 'forged';
  const verdict = VERDICT[c.status];
  const tone = forged ? 'forged' : verdict;
  const detail = (() => {
    switch (c.status) {
      case 'valid':
        return t('verify.validDetail', { stars: c.stars, until: date(c.validUntil) });
      case 'reevaluation_window':
        return `${t('verify.validDetail', { stars: c.stars, until: date(c.validUntil) })} ${t('verify.windowDetail')}`;
      case 'valid_pending_reevaluation':
        return t('verify.pendingDetail', { until: date(c.statusUntil) });
      case 'expired':
        return t('verify.expiredDetail', { since: date(c.statusSince) });
      case 'revoked':
        return t('verify.revokedDetail', {
          since: date(c.revocation?.on ?? c.statusSince),
          decision: c.revocation?.decisionNumber ?? '',
          ground: c.revocation ? t(`certificates.ground.${c.revocation.ground}`) : '',
        });
      case 'superseded':
        return t('verify.supersededDetail', { since: date(c.statusSince) });
      case 'not_yet_valid':
        return t('verify.notYetDetail', { since: date(c.issuedOn) });
    }
  })();
  return (
    <Layout
      page={page}
      title={`${forged ? t('verify.verdict.forged') : t(`verify.verdict.${verdict}`)} · ${c.productName}`}
      description={`${c.productName} — OCOP ${c.stars}★ — ${c.number}`}
    >
      <section class={`verdict verdict-${tone}`} role="status" aria-live="polite">
        <p class="verdict-word">{forged ? t('verify.verdict.forged') : t(`verify.verdict.${verdict}`)}</p>
        <p>{forged ? t('verify.forgedDetail') : detail}</p>
      </section>
      {forged ? <p>{t('verify.registerSays')}</p> : null}
      {c.isDemo ? <p class="badge badge-demo">{t('verify.demo')}</p> : null}
      <div class="verify-product">
        {props.imageId ? (
          <img src={`/documents/${props.imageId}/thumbnail`} alt={c.productName} width="160" height="160" />
        ) : null}
        <div>
          <h1>{c.productName}</h1>
          <p class="stars-big" role="img" aria-label={t('certificates.starsValue', { stars: c.stars })}>
            {'★'.repeat(c.stars)}
          </p>
          <p>{c.producerName}</p>
        </div>
      </div>
      <dl class="facts">
        <dt>{t('certificates.number')}</dt>
        <dd>{c.number}</dd>
        <dt>{t('certificates.status')}</dt>
        <dd>{t(`certificates.status.${c.status}`)}</dd>
        <dt>{t('verify.issuedBy')}</dt>
        <dd>{issuerName(c, props.provinceName)}</dd>
        <dt>{t('certificates.decision')}</dt>
        <dd>
          {c.decision.number}, {date(c.decision.date)}
        </dd>
        <dt>{t('certificates.issuedOn')}</dt>
        <dd>{date(c.issuedOn)}</dd>
        <dt>{t('certificates.validUntil')}</dt>
        <dd>{date(c.validUntil)}</dd>
        {c.revocation ? (
          <>
            <dt>{t('certificates.revocationGround')}</dt>
            <dd>{t(`certificates.ground.${c.revocation.ground}`)}</dd>
            {c.revocation.reason ? (
              <>
                <dt>{t('certificates.revocationReason')}</dt>
                <dd>{c.revocation.reason}</dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
      {props.current && props.current.id !== c.id ? (
        <p>
          {t('verify.current')}: <a href={`/verify/${props.current.id}`}>{props.current.number}</a> (
          {'★'.repeat(props.current.stars)}, {t(`certificates.status.${props.current.status}`)})
        </p>
      ) : null}
      <p class="hint">
        {authenticity === 'authentic'
          ? t('verify.authentic')
          : authenticity === null
            ? t('verify.noSignature')
            : ''}{' '}
        {t('verify.checkedOn', { date: date(props.today) })} · <a href="/verify">{t('verify.nav')}</a>
      </p>
      {forged ? null : (
        <script type="application/ld+json">
          {raw(
            JSON.stringify(certificationJsonLd(c, props.url, props.provinceName)).replace(/</g, '\\u003c'),
          )}
        </script>
      )}
    </Layout>
  );
}

/** Several certificates under one number (different provinces or levels). */
export function ChoicePage(props: { page: PageContext; ref: string; items: Certificate[] }): Html {
  const { page } = props;
  return (
    <Layout page={page} title={page.t('verify.title')}>
      <h1>{page.t('verify.title')}</h1>
      <p>{page.t('verify.several')}</p>
      <LookupList page={page} items={props.items} />
    </Layout>
  );
}

function LookupList(props: { page: PageContext; items: Certificate[] }): Html {
  const { t, locale } = props.page;
  return (
    <ul class="verify-results">
      {props.items.map((c) => (
        <li>
          <a href={`/verify/${c.id}`}>{c.productName}</a> — {c.producerName} · {c.number} ·{' '}
          {'★'.repeat(c.stars)} · {t(`certificates.status.${c.status}`)} ({formatDate(c.validUntil, locale)})
        </li>
      ))}
    </ul>
  );
}
