/**
 * The public trace page a shopper reaches by scanning a product's QR code (GS1 Digital Link), top
 * to bottom: a recall banner when the lot is recalled, the verdict (is this OCOP today, in large
 * words and colour, stars drawn), the product and its producer, the lot, the raw materials, the
 * journey as a timeline, test reports, "report a problem" and the Digital Link. Small, without
 * script, every word through the catalogue (`trace.*`, trace-page.messages.ts).
 *
 * Dates are DD/MM/YYYY in both languages (as printed on the pack); an event's time is shown in the
 * event's own offset, never converted to the server's zone.
 */
import { printedGtin } from '../../platform/gs1/index.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import { type Child, EMPTY, Fragment, Html, h } from '../../platform/views/jsx.ts';
import { Layout, type PageContext } from '../../platform/views/layout.tsx';
import type { TracePlace, TraceStep, TraceView } from './trace.model.ts';
import { tracePageMessages } from './trace-page.messages.ts';

const KNOWN = new Set(Object.keys(tracePageMessages.vi));

/** The word of a catalogue family (`trace.bizStep.shipping`), or null when there is none. */
function word(t: Translate, family: string, value: string): string | null {
  const key = `${family}.${value}`;
  return KNOWN.has(key) ? t(key) : null;
}

/** `shipping` from `shipping`, `urn:epcglobal:cbv:bizstep:shipping` or `https://ref.gs1.org/cbv/BizStep-shipping`. */
function cbvWord(value: string): string {
  const m =
    /^(?:https?:\/\/ref\.gs1\.org\/cbv\/(?:BizStep|Disp)-|urn:epcglobal:cbv:(?:bizstep|disp):|cbv:(?:BizStep|Disp)-)(.+)$/.exec(
      value,
    );
  return m ? m[1]! : value;
}

/** A message with markup in its parameters (a `<time>`); the text around stays escaped. */
function tWith(t: Translate, key: string, params: Record<string, Html | string | number>): Child[] {
  const marks: Html[] = [];
  const plain: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value instanceof Html) {
      plain[name] = `\uE000${marks.length}\uE000`;
      marks.push(value);
    } else plain[name] = value;
  }
  return t(key, plain)
    .split(/\uE000(\d+)\uE000/)
    .map((part, i) => (i % 2 === 1 ? marks[Number(part)] : part));
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

/** 'YYYY-MM-DD' → `<time>` showing DD/MM/YYYY. */
function Day(props: { iso: string }): Html {
  const m = ISO_DAY.exec(props.iso);
  if (!m) return <span>{props.iso}</span>;
  return <time datetime={props.iso}>{`${m[3]}/${m[2]}/${m[1]}`}</time>;
}

/** An ISO instant → DD/MM/YYYY HH:mm as the event wrote it; its offset named when it is not Vietnam's. */
function When(props: { t: Translate; iso: string }): Html {
  const m = INSTANT.exec(props.iso);
  if (!m) return <span>{props.iso}</span>;
  const [, y, mo, d, hh, mi, zone = ''] = m;
  const offset = zone.toUpperCase() === 'Z' ? '' : zone;
  return (
    <>
      <time datetime={props.iso}>{`${d}/${mo}/${y} ${hh}:${mi}`}</time>
      {offset === '+07:00' ? null : ` ${props.t('trace.journey.offset', { offset })}`}
    </>
  );
}

/** A link only to the web (http, https) or the platform (a path); anything else shows as text. */
function safeHref(href: string | null): string | null {
  if (!href) return null;
  return /^(?:https?:\/\/|\/(?!\/))/i.test(href) ? href : null;
}

function MaybeLink(props: { href: string | null; children?: Child }): Html {
  const href = safeHref(props.href);
  return href ? <a href={href}>{props.children}</a> : Fragment({ children: props.children });
}

/** A place: its name, what kind of place it is (unless the heading says it), its commune and province. */
function Place(props: { t: Translate; place: TracePlace; kind?: boolean }): Html {
  const { t, place } = props;
  const kind =
    props.kind !== false && place.kind && place.kind !== 'other' ? word(t, 'trace.kind', place.kind) : null;
  return (
    <>
      {place.name}
      {kind ? <span class="trace-kind"> ({kind})</span> : null}
      {place.area ? (
        <>
          <br />
          <span class="trace-area">{place.area}</span>
        </>
      ) : null}
    </>
  );
}

function Stars(props: { t: Translate; stars: number }): Html {
  const stars = Math.max(0, Math.min(5, Math.round(props.stars)));
  return (
    <p class="trace-stars" role="img" aria-label={props.t('trace.stars', { stars })}>
      {'★'.repeat(stars)}
      <span class="trace-stars-off">{'☆'.repeat(5 - stars)}</span>
    </p>
  );
}

function RecallBanner(props: { t: Translate; recall: { on: string; reason: string } }): Html {
  const { t, recall } = props;
  return (
    <section class="trace-recall" aria-labelledby="trace-recall">
      <p class="trace-recall-title" id="trace-recall">
        <span aria-hidden="true">⚠ </span>
        {t('trace.recall.title')}
      </p>
      <dl>
        <dt>{t('trace.recall.on')}</dt>
        <dd>
          <Day iso={recall.on} />
        </dd>
        <dt>{t('trace.recall.reason')}</dt>
        <dd>{recall.reason}</dd>
      </dl>
      <p>
        <strong>{t('trace.recall.doNotUse')}</strong>
      </p>
    </section>
  );
}

function Verdict(props: { t: Translate; certificate: TraceView['certificate'] }): Html {
  const { t, certificate: c } = props;
  const day = (iso: string | null) => (iso ? <Day iso={iso} /> : null);
  let headline: string;
  let detail: Child[] | null = null;
  switch (c.status) {
    case 'valid': {
      headline = c.stars ? t('trace.verdict.valid', { stars: c.stars }) : t('trace.verdict.validNoStars');
      const until = day(c.validUntil);
      if (until) detail = tWith(t, 'trace.verdict.validUntil', { date: until });
      break;
    }
    case 'expired': {
      headline = t('trace.verdict.expired');
      const until = day(c.validUntil);
      if (until) detail = tWith(t, 'trace.verdict.expiredSince', { date: until });
      break;
    }
    case 'revoked': {
      headline = t('trace.verdict.revoked');
      const on = day(c.revokedOn);
      if (on) detail = tWith(t, 'trace.verdict.revokedSince', { date: on });
      break;
    }
    case 'none':
      headline = t('trace.verdict.none');
      detail = [t('trace.verdict.noneDetail')];
      break;
  }
  const verify = safeHref(c.verifyHref);
  return (
    <section class={`trace-verdict trace-verdict-${c.status}`} aria-labelledby="trace-verdict">
      <p class="trace-verdict-word" id="trace-verdict">
        {headline}
      </p>
      {c.status === 'valid' && c.stars ? <Stars t={t} stars={c.stars} /> : null}
      {detail ? <p>{detail}</p> : null}
      {c.status === 'expired' || c.status === 'revoked' ? <p>{t('trace.verdict.notNow')}</p> : null}
      {verify && c.status !== 'none' ? (
        <p>
          <a href={verify}>
            {c.number
              ? t('trace.verdict.certificate', { number: c.number })
              : t('trace.verdict.certificateLink')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function Product(props: { t: Translate; view: TraceView }): Html {
  const { t } = props;
  const { product, producer } = props.view;
  const image = safeHref(product.imageUrl);
  const href = safeHref(product.href);
  return (
    <section class="trace-product" itemscope itemtype="https://schema.org/Product">
      <div class="trace-product-head">
        {image ? (
          <img
            src={image}
            alt={product.name}
            width="160"
            height="160"
            loading="lazy"
            decoding="async"
            itemprop="image"
          />
        ) : null}
        <div>
          <h1 itemprop="name">{product.name}</h1>
          <p class="trace-producer">
            {t('trace.producer')}: <strong>{producer.name}</strong>
            {producer.area ? (
              <>
                <br />
                <span class="trace-area">{producer.area}</span>
              </>
            ) : null}
          </p>
        </div>
      </div>
      {product.description ? <p itemprop="description">{product.description}</p> : null}
      <dl class="facts">
        {product.netContent ? (
          <>
            <dt>{t('trace.netContent')}</dt>
            <dd>{product.netContent}</dd>
          </>
        ) : null}
        <dt>{t('trace.gtin')}</dt>
        <dd itemprop="gtin">{printedGtin(product.gtin)}</dd>
      </dl>
      {href ? (
        <p>
          <a href={href} itemprop="url">
            {t('trace.productPage')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function Batch(props: { t: Translate; batch: TraceView['batch']; today: string }): Html {
  const { t, batch } = props;
  const expired = batch.expiryDate !== null && batch.expiryDate < props.today;
  return (
    <section aria-labelledby="trace-batch">
      <h2 id="trace-batch">{t('trace.batch.title')}</h2>
      <dl class="facts">
        <dt>{t('trace.batch.lot')}</dt>
        <dd>{batch.lot}</dd>
        {batch.serial ? (
          <>
            <dt>{t('trace.batch.serial')}</dt>
            <dd>{batch.serial}</dd>
          </>
        ) : null}
        <dt>{t('trace.batch.productionDate')}</dt>
        <dd>
          <Day iso={batch.productionDate} />
        </dd>
        {batch.packingDate ? (
          <>
            <dt>{t('trace.batch.packingDate')}</dt>
            <dd>
              <Day iso={batch.packingDate} />
            </dd>
          </>
        ) : null}
        {batch.expiryDate ? (
          <>
            <dt>{t('trace.batch.expiryDate')}</dt>
            <dd>
              <Day iso={batch.expiryDate} />
              {expired ? (
                <>
                  {' '}
                  <strong class="badge badge-overdue">{t('trace.batch.expired')}</strong>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {batch.quantity ? (
          <>
            <dt>{t('trace.batch.quantity')}</dt>
            <dd>{batch.quantity}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function Materials(props: { t: Translate; view: TraceView }): Html {
  const { t } = props;
  const { rawMaterialArea: area, ingredients } = props.view;
  if (!area && ingredients.length === 0) return EMPTY;
  const map =
    area && area.latitude !== null && area.longitude !== null
      ? `https://www.openstreetmap.org/?mlat=${area.latitude}&mlon=${area.longitude}#map=15/${area.latitude}/${area.longitude}`
      : null;
  return (
    <section aria-labelledby="trace-materials">
      <h2 id="trace-materials">{t('trace.materials.title')}</h2>
      {area ? (
        <>
          <h3>{t('trace.materials.area')}</h3>
          <p>
            <Place t={t} place={area} kind={false} />
          </p>
          {area.certifications ? (
            <dl class="facts">
              <dt>{t('trace.materials.certifications')}</dt>
              <dd>{area.certifications}</dd>
            </dl>
          ) : null}
          {map ? (
            <p>
              <a href={map}>{t('trace.map')}</a>
            </p>
          ) : null}
        </>
      ) : null}
      {ingredients.length > 0 ? (
        <>
          <h3>{t('trace.materials.ingredients')}</h3>
          <ul>
            {ingredients.map((i) => (
              <li>
                <MaybeLink href={i.href}>{i.label}</MaybeLink>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function stepName(t: Translate, step: TraceStep): string {
  if (step.step) return t(`trace.step.${step.step}`);
  if (step.bizStep) {
    const w = cbvWord(step.bizStep);
    return word(t, 'trace.bizStep', w) ?? w;
  }
  return t('trace.journey.event');
}

function JourneyStep(props: { t: Translate; step: TraceStep }): Html {
  const { t, step } = props;
  const disposition = step.disposition ? cbvWord(step.disposition) : null;
  const recall = step.step === 'recall' || disposition === 'recalled';
  const fact = (label: string, value: Child) => (
    <>
      <dt>{t(label)}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <li class={recall ? 'trace-step-recall' : undefined}>
      <h3>{stepName(t, step)}</h3>
      <p class="trace-when">
        <When t={t} iso={step.eventTime} />
      </p>
      <dl>
        {step.place ? fact('trace.journey.where', <Place t={t} place={step.place} />) : null}
        {step.source ? fact('trace.journey.from', <Place t={t} place={step.source} />) : null}
        {step.destination ? fact('trace.journey.to', <Place t={t} place={step.destination} />) : null}
        {step.quantity ? fact('trace.batch.quantity', step.quantity) : null}
        {disposition
          ? fact('trace.journey.status', word(t, 'trace.disposition', disposition) ?? disposition)
          : null}
        {step.inputs.length > 0
          ? fact(
              'trace.journey.inputs',
              step.inputs.map((input, i) => (
                <>
                  {i > 0 ? ', ' : null}
                  <MaybeLink href={input.href}>{input.label}</MaybeLink>
                </>
              )),
            )
          : null}
        {step.note ? fact('trace.journey.note', step.note) : null}
        {step.attachments.length > 0
          ? fact(
              'trace.journey.attachments',
              step.attachments.map((a, i) => (
                <>
                  {i > 0 ? ', ' : null}
                  <MaybeLink href={a.href}>{a.name}</MaybeLink>
                </>
              )),
            )
          : null}
      </dl>
    </li>
  );
}

function Journey(props: { t: Translate; journey: TraceStep[] }): Html {
  const { t, journey } = props;
  return (
    <section aria-labelledby="trace-journey">
      <h2 id="trace-journey">{t('trace.journey.title')}</h2>
      {journey.length === 0 ? (
        <p>{t('trace.journey.empty')}</p>
      ) : (
        <ol class="trace-journey">
          {journey.map((step) => (
            <JourneyStep t={t} step={step} />
          ))}
        </ol>
      )}
    </section>
  );
}

function TestReports(props: { t: Translate; reports: TraceView['testReports'] }): Html {
  const { t, reports } = props;
  if (reports.length === 0) return EMPTY;
  return (
    <section aria-labelledby="trace-tests">
      <h2 id="trace-tests">{t('trace.tests.title')}</h2>
      <ul>
        {reports.map((r) => (
          <li>
            <MaybeLink href={r.href}>{r.name}</MaybeLink>
            {r.issuedOn ? (
              <>
                {' — '}
                {tWith(t, 'trace.tests.issuedOn', { date: <Day iso={r.issuedOn} /> })}
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReportLink(props: { t: Translate; href: string }): Html {
  const { t } = props;
  return (
    <section class="trace-report" aria-labelledby="trace-report">
      <h2 id="trace-report">{t('trace.report.title')}</h2>
      <p>{t('trace.report.text')}</p>
      <p>
        <a class="button secondary" href={safeHref(props.href) ?? '/'}>
          {t('trace.report.link')}
        </a>
      </p>
    </section>
  );
}

/** The trace page of a lot (or one serialised item): what a shopper sees after scanning the QR code. */
export function TracePage({ page, view }: { page: PageContext; view: TraceView }): Html {
  const { t } = page;
  const uri = safeHref(view.uri);
  return (
    <Layout
      page={page}
      title={t('trace.pageTitle', { product: view.product.name })}
      description={t('trace.description', { product: view.product.name, producer: view.producer.name })}
    >
      <article class="trace">
        {view.demo ? <p class="badge badge-demo">{t('trace.demo')}</p> : null}
        {view.batch.recall ? <RecallBanner t={t} recall={view.batch.recall} /> : null}
        <Verdict t={t} certificate={view.certificate} />
        <Product t={t} view={view} />
        <Batch t={t} batch={view.batch} today={view.today} />
        <Materials t={t} view={view} />
        <Journey t={t} journey={view.journey} />
        <TestReports t={t} reports={view.testReports} />
        <ReportLink t={t} href={view.reportHref} />
        <footer class="trace-footer">
          <p>{tWith(t, 'trace.checkedOn', { date: <Day iso={view.today} /> })}</p>
          <p>
            {t('trace.uri')}: {uri ? <a href={uri}>{view.uri}</a> : view.uri}
          </p>
        </footer>
      </article>
    </Layout>
  );
}

/**
 * A well-formed code nothing is registered for: the route sends it with status 404. `reportHref`
 * is where "report a problem" goes (the same form as the trace page's `view.reportHref`; by default
 * `/trace/report?uri=…`).
 */
export function TraceNotFound({
  page,
  uri,
  reportHref = `/trace/report?${new URLSearchParams({ uri })}`,
}: {
  page: PageContext;
  uri: string;
  reportHref?: string;
}): Html {
  const { t } = page;
  return (
    <Layout page={page} title={t('trace.notFound.title')}>
      <article class="trace">
        <section class="trace-verdict trace-verdict-unknown" aria-labelledby="trace-verdict">
          <h1 class="trace-verdict-word" id="trace-verdict">
            {t('trace.notFound.heading')}
          </h1>
          <p>{t('trace.notFound.body')}</p>
        </section>
        <p>
          {t('trace.notFound.scanned')}:
          <br />
          <code class="trace-uri">{uri}</code>
        </p>
        <p class="trace-actions">
          <a class="button" href={safeHref(reportHref) ?? '/'}>
            {t('trace.report.link')}
          </a>
          <a href="/verify">{t('trace.notFound.verify')}</a>
        </p>
      </article>
    </Layout>
  );
}
