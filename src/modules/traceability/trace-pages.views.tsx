/**
 * The producer's trace pages (routes in trace-pages.routes.tsx): the batches, a new batch, one
 * batch with its journey, one short form per step, the recall, places and partners. Phone first:
 * one column, large controls, the keyboard each field needs (`inputmode`), no script. Every word
 * through the catalogue (`tracePages.*`, trace-pages.messages.ts); a field's error next to it.
 *
 * An event's time is shown as DD/MM/YYYY HH:mm in the event's own offset (never the server's zone).
 */
import { printedGtin } from '../../platform/gs1/index.ts';
import { formatDate } from '../../platform/time.ts';
import { FormMessage, type FormState } from '../../platform/views/form.tsx';
import { type Child, EMPTY, Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import { DemoBadge } from '../producers/index.ts';
import type { Batch, BatchesService } from './batches.service.ts';
import { UNIT_NAMES } from './journey-events.ts';
import type { Location, Partner } from './locations.service.ts';
import { type JourneyStep, LOCATION_KINDS, PARTNER_KINDS } from './trace.model.ts';
import { digitalLinkPath } from './trace-page.service.ts';

export type BatchDetail = Awaited<ReturnType<BatchesService['get']>>;

/** The steps a producer records by form (a recall has its own page). */
export const RECORDED_STEPS = [
  'harvest',
  'processing',
  'packing',
  'shipping',
  'receiving',
  'inspection',
  'sale',
] as const satisfies readonly JourneyStep[];
export type RecordedStep = (typeof RECORDED_STEPS)[number];

/** The steps in the order of a journey (inspection may come at any time). */
const IN_ORDER: RecordedStep[] = ['harvest', 'processing', 'packing', 'shipping', 'receiving', 'sale'];

/** One entry of a batch's journey, ready to show. */
export interface JourneyEntry {
  step: JourneyStep | null;
  /** A bizStep word when the event is not one of the form's steps (captured through the API). */
  bizStep: string | null;
  /** `DD/MM/YYYY HH:mm` in the event's own offset, the instant, and the offset. */
  when: string;
  iso: string;
  offset: string;
  place: string | null;
  to: string | null;
  from: string | null;
  quantity: string | null;
  passed: boolean | null;
  document: string | null;
  note: string | null;
  carton: string | null;
  attachment: { href: string; label: string } | null;
  inputs: { label: string; href: string | null }[];
  /** This lot went into another lot (a processing of that lot). */
  usedIn: { label: string; href: string | null } | null;
}

interface Option {
  value: string;
  label: string;
}

const kindLabel = (t: PageContext['t'], kind: string) => t(`tracePages.kind.${kind}`);

/** A place or partner as an option: its name (the option group says which it is). */
export const placeOption = (p: { id: string; name: string }): Option => ({ value: p.id, label: p.name });

/** The message of a field's error, in the page's language. */
function errorOf(page: PageContext, form: FormState, name: string): string | undefined {
  const error = form.errors.find((e) => e.name === name);
  return error ? page.t(`validation.${error.rule}`, error.params) : undefined;
}

/**
 * A labelled control with its error next to it (the markup and classes of platform/views/form.tsx),
 * plus what phones need: `inputmode`, bounds, option groups.
 */
function Control(props: {
  page: PageContext;
  form: FormState;
  name: string;
  label: string;
  type?: string;
  required?: boolean;
  hint?: string;
  placeholder?: string;
  inputmode?: string;
  autocomplete?: string;
  min?: string;
  max?: string;
  step?: string;
  maxlength?: number;
  accept?: string;
  options?: Option[];
  groups?: { label: string; options: Option[] }[];
}): Html {
  const { page, form, name } = props;
  const id = `f-${name}`;
  const message = errorOf(page, form, name);
  const value = form.values[name] ?? '';
  const common = {
    id,
    name,
    required: props.required,
    'aria-invalid': message ? 'true' : undefined,
    'aria-describedby': message ? `${id}-error` : props.hint ? `${id}-hint` : undefined,
  };
  const option = (o: Option) => (
    <option value={o.value} selected={o.value === value}>
      {o.label}
    </option>
  );
  let control: Html;
  if (props.type === 'textarea') {
    control = (
      <textarea {...common} rows={3} maxlength={props.maxlength} placeholder={props.placeholder}>
        {value}
      </textarea>
    );
  } else if (props.options || props.groups) {
    control = (
      <select {...common}>
        {(props.options ?? []).map(option)}
        {(props.groups ?? [])
          .filter((g) => g.options.length > 0)
          .map((g) => (
            <optgroup label={g.label}>{g.options.map(option)}</optgroup>
          ))}
      </select>
    );
  } else {
    control = (
      <input
        {...common}
        type={props.type ?? 'text'}
        value={props.type === 'file' ? undefined : value}
        inputmode={props.inputmode}
        autocomplete={props.autocomplete ?? (props.type === 'file' ? undefined : 'off')}
        min={props.min}
        max={props.max}
        step={props.step}
        maxlength={props.maxlength}
        accept={props.accept}
        placeholder={props.placeholder}
      />
    );
  }
  return (
    <div class={message ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {control}
      {message ? (
        <p class="error" id={`${id}-error`}>
          {message}
        </p>
      ) : null}
    </div>
  );
}

/** Checkboxes or radio buttons of one name, in a fieldset, with the group's error under its legend. */
function Choices(props: {
  page: PageContext;
  form: FormState;
  name: string;
  label: string;
  type: 'checkbox' | 'radio';
  options: Option[];
  /** The chosen values (checkboxes: several, comma-separated in the form's values). */
  chosen: string[];
  hint?: string;
}): Html {
  const { page, form, name } = props;
  const message = errorOf(page, form, name);
  const id = `f-${name}`;
  return (
    <fieldset
      class={message ? 'field-error' : undefined}
      aria-describedby={message ? `${id}-error` : props.hint ? `${id}-hint` : undefined}
    >
      <legend>{props.label}</legend>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {message ? (
        <p class="error" id={`${id}-error`}>
          {message}
        </p>
      ) : null}
      {props.options.map((o, i) => (
        <div class="field field-check">
          <input
            type={props.type}
            id={`${id}-${i}`}
            name={name}
            value={o.value}
            checked={props.chosen.includes(o.value)}
          />
          <label for={`${id}-${i}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** One checkbox that must be ticked (a confirmation), its error next to it. */
function Confirm(props: { page: PageContext; form: FormState; name: string; label: string }): Html {
  const { page, form, name } = props;
  const message = errorOf(page, form, name);
  const id = `f-${name}`;
  return (
    <div class={message ? 'field field-check field-error' : 'field field-check'}>
      <input
        type="checkbox"
        id={id}
        name={name}
        value="1"
        checked={form.values[name] === '1'}
        aria-invalid={message ? 'true' : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
      />
      <label for={id}>{props.label}</label>
      {message ? (
        <p class="error" id={`${id}-error`}>
          {message}
        </p>
      ) : null}
    </div>
  );
}

function Facts(props: { rows: [string, Child][] }): Html {
  return (
    <dl class="facts">
      {props.rows
        .filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
  );
}

function Notice(props: { text: string | null }): Html {
  return props.text ? (
    <p class="notice" role="status">
      {props.text}
    </p>
  ) : (
    EMPTY
  );
}

const date = (page: PageContext, iso: string | null) => (iso ? formatDate(iso, page.locale) : null);

/** `120 kg`, `1.200 hộp` in the page's language. */
export function quantityText(locale: string, quantity: number | null, unit: string | null): string | null {
  if (quantity === null) return null;
  const n = quantity.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 3 });
  return unit ? `${n} ${unit}` : n;
}

const unitOptions = (page: PageContext): Option[] => [
  { value: '', label: page.t('tracePages.choose') },
  ...UNIT_NAMES.map((u) => ({ value: u, label: u })),
];

/** The eyebrow link back: to the list, or to the batch. */
function Back(props: { href: string; label: string }): Html {
  return (
    <p class="eyebrow">
      <a href={props.href}>{props.label}</a>
    </p>
  );
}

// --- the batches ------------------------------------------------------------------------------

export function BatchesPage(props: {
  page: PageContext;
  items: { batch: Batch; productName: string; producerName: string | null }[];
  mayRecord: boolean;
}): Html {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('tracePages.title')}>
      <div class="trace">
        <h1>{t('tracePages.title')}</h1>
        <p class="lead">{t('tracePages.intro')}</p>
        <p class="actions">
          {props.mayRecord ? (
            <a class="button" href="/trace/batches/new">
              {t('tracePages.newBatch')}
            </a>
          ) : null}
          <a class="button secondary" href="/trace/places">
            {t('tracePages.placesLink')}
          </a>
          <a href="/trace/scans">{t('tracePages.scansLink')}</a>
        </p>
        <h2>{t('tracePages.batches')}</h2>
        {props.items.length === 0 ? (
          <p>{t('tracePages.noBatches')}</p>
        ) : (
          <ul class="cards">
            {props.items.map(({ batch: b, productName, producerName }) => (
              <li class="card">
                <h3>
                  <a href={`/trace/batches/${b.id}`}>{t('tracePages.lotOf', { lot: b.lot })}</a>{' '}
                  {b.recall ? <span class="badge badge-overdue">{t('tracePages.recalledBadge')}</span> : null}{' '}
                  <DemoBadge page={page} show={b.isDemo} />
                </h3>
                <p>
                  {productName}
                  {producerName ? <span class="muted"> · {producerName}</span> : null}
                </p>
                <Facts
                  rows={[
                    [t('tracePages.batch.productionDate'), date(page, b.productionDate)],
                    [t('tracePages.batch.expiryDate'), date(page, b.expiryDate)],
                  ]}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
    </Layout>
  );
}

// --- choosing a producer (offices) --------------------------------------------------------------

export function ProducerChooserPage(props: {
  page: PageContext;
  title: string;
  /** Where the choice goes (a GET with ?producerId=). */
  action: string;
  producers: { id: string; name: string }[];
  q: string;
}): Html {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={props.title}>
      <div class="trace">
        <Back href="/trace" label={t('tracePages.title')} />
        <h1>{props.title}</h1>
        <h2>{t('tracePages.chooser.title')}</h2>
        <form method="get" action={props.action} class="filters">
          <div class="field">
            <label for="f-q">{t('tracePages.chooser.search')}</label>
            <input id="f-q" name="q" type="search" value={props.q} maxlength="200" />
          </div>
          <button type="submit" class="secondary">
            {t('tracePages.chooser.find')}
          </button>
        </form>
        {props.producers.length === 0 ? (
          <p>{t('tracePages.chooser.none')}</p>
        ) : (
          <form method="get" action={props.action} class="form">
            <div class="field">
              <label for="f-producerId">{t('tracePages.chooser.producer')}</label>
              <select id="f-producerId" name="producerId" required>
                {props.producers.map((p) => (
                  <option value={p.id}>{p.name}</option>
                ))}
              </select>
            </div>
            <button type="submit">{t('tracePages.chooser.continue')}</button>
          </form>
        )}
      </div>
    </Layout>
  );
}

/** The producer a page works on, with a link to choose another (offices). */
function ProducerLine(props: { page: PageContext; name: string; chooseHref: string | null }): Html {
  const { t } = props.page;
  return (
    <p>
      {t('tracePages.batch.producer')}: <strong>{props.name}</strong>
      {props.chooseHref ? (
        <>
          {' · '}
          <a href={props.chooseHref}>{t('tracePages.chooser.other')}</a>
        </>
      ) : null}
    </p>
  );
}

// --- a new batch --------------------------------------------------------------------------------

export function NewBatchPage(props: {
  page: PageContext;
  form: FormState;
  producer: { id: string; name: string };
  /** An office works for a producer it chose (carried in the form). */
  office: boolean;
  products: { id: string; name: string; gtins: string[] }[];
  rawAreas: Location[];
  otherBatches: Option[];
}): Html {
  const { page, form } = props;
  const { t } = page;
  const several = props.products.some((p) => p.gtins.length > 1);
  const chosenInputs = (form.values.inputBatchIds ?? '').split(',').filter(Boolean);
  return (
    <Layout page={page} title={t('tracePages.newBatch')}>
      <div class="trace">
        <Back href="/trace" label={t('tracePages.title')} />
        <h1>{t('tracePages.newBatch')}</h1>
        <ProducerLine
          page={page}
          name={props.producer.name}
          chooseHref={props.office ? '/trace/batches/new' : null}
        />
        {props.products.length === 0 ? (
          <>
            <p class="alert" role="alert">
              {t('tracePages.new.noProducts')}
            </p>
            <p>
              <a href={`/producers/${props.producer.id}`}>{t('tracePages.new.productsLink')}</a>
            </p>
          </>
        ) : (
          <>
            <p>{t('tracePages.new.intro')}</p>
            <form method="post" action="/trace/batches/new" class="form">
              <CsrfField page={page} />
              <FormMessage form={form} />
              {props.office ? <input type="hidden" name="producerId" value={props.producer.id} /> : null}
              <Control
                page={page}
                form={form}
                name="productId"
                label={t('tracePages.batch.product')}
                required
                options={[
                  ...(props.products.length > 1 ? [{ value: '', label: t('tracePages.choose') }] : []),
                  ...props.products.map((p) => ({ value: p.id, label: p.name })),
                ]}
              />
              {several ? (
                <Control
                  page={page}
                  form={form}
                  name="gtin"
                  label={t('tracePages.batch.gtin')}
                  hint={t('tracePages.batch.gtinHint')}
                  options={[
                    { value: '', label: t('tracePages.batch.gtinFirst') },
                    ...props.products.flatMap((p) =>
                      p.gtins.map((g) => ({ value: g, label: `${g.replace(/^0/, '')} — ${p.name}` })),
                    ),
                  ]}
                />
              ) : null}
              <Control
                page={page}
                form={form}
                name="lot"
                label={t('tracePages.batch.lot')}
                hint={t('tracePages.batch.lotHint')}
                required
                maxlength={40}
              />
              <Control
                page={page}
                form={form}
                name="productionDate"
                type="date"
                label={t('tracePages.batch.productionDate')}
                required
              />
              <Control
                page={page}
                form={form}
                name="packingDate"
                type="date"
                label={t('tracePages.batch.packingDate')}
              />
              <Control
                page={page}
                form={form}
                name="expiryDate"
                type="date"
                label={t('tracePages.batch.expiryDate')}
              />
              <div class="row-fields">
                <Control
                  page={page}
                  form={form}
                  name="quantity"
                  label={t('tracePages.batch.quantity')}
                  inputmode="decimal"
                />
                <Control
                  page={page}
                  form={form}
                  name="unit"
                  label={t('tracePages.batch.unit')}
                  options={unitOptions(page)}
                />
              </div>
              <Control
                page={page}
                form={form}
                name="rawMaterialLocationId"
                label={t('tracePages.batch.rawMaterial')}
                options={[
                  { value: '', label: t('tracePages.none') },
                  ...props.rawAreas.map((l) => placeOption(l)),
                ]}
              />
              {props.otherBatches.length > 0 ? (
                <Choices
                  page={page}
                  form={form}
                  name="inputBatchIds"
                  type="checkbox"
                  label={t('tracePages.batch.inputs')}
                  hint={t('tracePages.batch.inputsHint')}
                  options={props.otherBatches}
                  chosen={chosenInputs}
                />
              ) : null}
              <Control
                page={page}
                form={form}
                name="note"
                type="textarea"
                label={t('tracePages.batch.note')}
                maxlength={1000}
              />
              <button type="submit">{t('tracePages.new.save')}</button>
            </form>
          </>
        )}
      </div>
    </Layout>
  );
}

// --- one batch ----------------------------------------------------------------------------------

function RecallBanner(props: { page: PageContext; recall: { at: string; reason: string } }): Html {
  const { page } = props;
  const { t } = page;
  return (
    <div class="trace-recall" role="alert">
      <p class="trace-recall-title">{t('tracePages.recall.title')}</p>
      <dl>
        <dt>{t('tracePages.recall.on')}</dt>
        <dd>{props.recall.at}</dd>
        <dt>{t('tracePages.recall.reason')}</dt>
        <dd>{props.recall.reason}</dd>
      </dl>
    </div>
  );
}

/** The step a journey usually takes next (null after the sale). */
export function nextStep(recorded: (JourneyStep | null)[]): RecordedStep | null {
  let last = -1;
  for (const step of recorded) {
    const at = IN_ORDER.indexOf(step as RecordedStep);
    if (at > last) last = at;
  }
  return last + 1 < IN_ORDER.length ? IN_ORDER[last + 1]! : null;
}

function Journey(props: { page: PageContext; entries: JourneyEntry[] }): Html {
  const { page } = props;
  const { t } = page;
  if (props.entries.length === 0) return <p>{t('tracePages.batchPage.journeyEmpty')}</p>;
  return (
    <ol class="trace-journey">
      {props.entries.map((e) => {
        const title = e.usedIn
          ? t('tracePages.batchPage.usedIn')
          : e.step
            ? t(`tracePages.step.${e.step}`)
            : (e.bizStep ?? t('tracePages.batchPage.otherEvent'));
        return (
          <li class={e.step === 'recall' ? 'trace-step-recall' : undefined}>
            <h3>{title}</h3>
            <p class="trace-when">
              <time datetime={e.iso}>{e.when}</time>
              {e.offset === '+07:00' ? null : ` ${t('tracePages.batchPage.offset', { offset: e.offset })}`}
            </p>
            <dl>
              {(
                [
                  [t('tracePages.batchPage.where'), e.place],
                  [t('tracePages.batchPage.to'), e.to],
                  [t('tracePages.batchPage.from'), e.from],
                  [t('tracePages.batchPage.quantity'), e.quantity],
                  [
                    t('tracePages.batchPage.result'),
                    e.passed === null
                      ? null
                      : e.passed
                        ? t('tracePages.form.passed')
                        : t('tracePages.form.failed'),
                  ],
                  [
                    t('tracePages.batchPage.inputs'),
                    e.inputs.length
                      ? e.inputs.map((i, n) => (
                          <>
                            {n > 0 ? ', ' : ''}
                            {i.href ? <a href={i.href}>{i.label}</a> : i.label}
                          </>
                        ))
                      : null,
                  ],
                  [
                    t('tracePages.batchPage.usedIn'),
                    e.usedIn ? (
                      e.usedIn.href ? (
                        <a href={e.usedIn.href}>{e.usedIn.label}</a>
                      ) : (
                        e.usedIn.label
                      )
                    ) : null,
                  ],
                  [t('tracePages.batchPage.carton'), e.carton],
                  [
                    t('tracePages.batchPage.attachment'),
                    e.attachment ? <a href={e.attachment.href}>{e.attachment.label}</a> : null,
                  ],
                  [t('tracePages.batchPage.document'), e.document],
                  [t('tracePages.batchPage.note'), e.note],
                ] as [string, Child][]
              )
                .filter(([, v]) => v !== null && v !== undefined && v !== '')
                .map(([k, v]) => (
                  <>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </>
                ))}
            </dl>
          </li>
        );
      })}
    </ol>
  );
}

export function BatchPage(props: {
  page: PageContext;
  batch: BatchDetail;
  productName: string;
  producerName: string;
  rawMaterial: string | null;
  /** The batch's ingredient lots, readable. */
  inputs: { label: string; href: string }[];
  journey: JourneyEntry[];
  /** The recall's day, as the page shows it. */
  recalledOn: string | null;
  mayRecord: boolean;
  notice: string | null;
  reportForm: FormState;
  serialForm: FormState;
  uploadLimitMb: number;
  serialLimit: number;
}): Html {
  const { page, batch: b } = props;
  const { t } = page;
  const base = `/trace/batches/${b.id}`;
  const next = nextStep(props.journey.filter((e) => !e.usedIn).map((e) => e.step));
  const steps = b.recall ? (['inspection'] as RecordedStep[]) : RECORDED_STEPS;
  const title = `${props.productName} — ${t('tracePages.lotOf', { lot: b.lot })}`;
  return (
    <Layout page={page} title={title}>
      <div class="trace">
        <Back href="/trace" label={t('tracePages.title')} />
        <h1>
          {props.productName} <DemoBadge page={page} show={b.isDemo} />
        </h1>
        <p class="lead">{t('tracePages.lotOf', { lot: b.lot })}</p>
        <Notice text={props.notice} />
        {b.recall ? (
          <RecallBanner page={page} recall={{ at: props.recalledOn ?? '', reason: b.recall.reason }} />
        ) : null}
        <Facts
          rows={[
            [t('tracePages.batch.lot'), <strong>{b.lot}</strong>],
            [t('tracePages.batch.gtin'), printedGtin(b.gtin)],
            [t('tracePages.batch.producer'), props.producerName],
            [t('tracePages.batch.productionDate'), date(page, b.productionDate)],
            [t('tracePages.batch.packingDate'), date(page, b.packingDate)],
            [t('tracePages.batch.expiryDate'), date(page, b.expiryDate)],
            [t('tracePages.batch.quantity'), quantityText(page.locale, b.quantity, b.unit)],
            [t('tracePages.batch.rawMaterial'), props.rawMaterial],
            [
              t('tracePages.batch.inputs'),
              props.inputs.length
                ? props.inputs.map((i, n) => (
                    <>
                      {n > 0 ? ', ' : ''}
                      <a href={i.href}>{i.label}</a>
                    </>
                  ))
                : null,
            ],
            [t('tracePages.batch.note'), b.note],
          ]}
        />
        {props.mayRecord ? (
          <section aria-labelledby="next-steps">
            <h2 id="next-steps">{t('tracePages.batchPage.nextSteps')}</h2>
            <p class="hint">
              {b.recall ? t('tracePages.batchPage.onlyInspection') : t('tracePages.batchPage.nextHint')}
            </p>
            <p class="actions">
              {steps.map((s) => (
                <a
                  class={s === next && !b.recall ? 'button' : 'button secondary'}
                  href={`${base}/steps/${s}`}
                  data-step={s}
                >
                  {t(`tracePages.step.${s}`)}
                </a>
              ))}
            </p>
          </section>
        ) : null}
        <section aria-labelledby="journey">
          <h2 id="journey">{t('tracePages.batchPage.journey')}</h2>
          <Journey page={page} entries={props.journey} />
        </section>
        <section aria-labelledby="reports">
          <h2 id="reports">{t('tracePages.reports.title')}</h2>
          {b.testReports.length === 0 ? (
            <p>{t('tracePages.reports.none')}</p>
          ) : (
            <ul>
              {b.testReports.map((r) => (
                <li>
                  <a href={`/trace/reports/${r.id}`}>{r.name}</a>
                  {r.issuedOn
                    ? ` — ${t('tracePages.reports.issuedOn', { date: date(page, r.issuedOn)! })}`
                    : ''}
                </li>
              ))}
            </ul>
          )}
          {props.mayRecord ? (
            <details open={props.reportForm.errors.length > 0 || Boolean(props.reportForm.message)}>
              <summary>{t('tracePages.reports.add')}</summary>
              <form method="post" action={`${base}/reports`} enctype="multipart/form-data" class="form">
                <CsrfField page={page} />
                <FormMessage form={props.reportForm} />
                <Control
                  page={page}
                  form={props.reportForm}
                  name="name"
                  label={t('tracePages.reports.name')}
                  hint={t('tracePages.reports.nameHint')}
                  required
                  maxlength={200}
                />
                <Control
                  page={page}
                  form={props.reportForm}
                  name="issuedOn"
                  type="date"
                  label={t('tracePages.reports.issuedOnLabel')}
                />
                <Control
                  page={page}
                  form={props.reportForm}
                  name="file"
                  type="file"
                  label={t('tracePages.reports.file')}
                  hint={t('tracePages.reports.fileHint', { limit: props.uploadLimitMb })}
                  accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                  required
                />
                <button type="submit">{t('tracePages.reports.upload')}</button>
              </form>
            </details>
          ) : null}
        </section>
        <section aria-labelledby="serials">
          <h2 id="serials">{t('tracePages.serials.title')}</h2>
          <p class="hint">{t('tracePages.serials.intro')}</p>
          {b.serialRanges.length === 0 ? (
            <p>{t('tracePages.serials.none')}</p>
          ) : (
            <ul>
              {b.serialRanges.map((r) => (
                <li>
                  {t('tracePages.serials.range', {
                    first: serialText(r.prefix, r.first, r.width),
                    last: serialText(r.prefix, r.last, r.width),
                    count: r.last - r.first + 1,
                  })}
                </li>
              ))}
            </ul>
          )}
          {props.mayRecord ? (
            <form method="post" action={`${base}/serials`} class="form">
              <CsrfField page={page} />
              <FormMessage form={props.serialForm} />
              <Control
                page={page}
                form={props.serialForm}
                name="count"
                type="number"
                label={t('tracePages.serials.count')}
                hint={t('tracePages.serials.countHint', { max: props.serialLimit })}
                inputmode="numeric"
                min="1"
                max={String(props.serialLimit)}
                required
              />
              <Control
                page={page}
                form={props.serialForm}
                name="prefix"
                label={t('tracePages.serials.prefix')}
                hint={t('tracePages.serials.prefixHint')}
                maxlength={12}
              />
              <button type="submit">{t('tracePages.serials.issue')}</button>
            </form>
          ) : null}
        </section>
        <section aria-labelledby="labels">
          <h2 id="labels">{t('tracePages.labels.title')}</h2>
          <p class="hint">{t('tracePages.labels.intro')}</p>
          <form method="get" action={`${base}/labels.pdf`} class="form">
            <div class="row-fields">
              <div class="field">
                <label for="f-columns">{t('tracePages.labels.columns')}</label>
                <input
                  id="f-columns"
                  name="columns"
                  type="number"
                  inputmode="numeric"
                  min="1"
                  max="10"
                  value="3"
                  required
                />
              </div>
              <div class="field">
                <label for="f-rows">{t('tracePages.labels.rows')}</label>
                <input
                  id="f-rows"
                  name="rows"
                  type="number"
                  inputmode="numeric"
                  min="1"
                  max="20"
                  value="8"
                  required
                />
              </div>
            </div>
            <p class="actions">
              <button type="submit">{t('tracePages.labels.pdf')}</button>
            </p>
            {b.serialRanges.length > 0 ? (
              <fieldset>
                <legend>{t('tracePages.labels.withSerials')}</legend>
                {b.serialRanges.map((r) => (
                  <button type="submit" name="range" value={r.id} class="secondary">
                    {`${serialText(r.prefix, r.first, r.width)} – ${serialText(r.prefix, r.last, r.width)}`}
                  </button>
                ))}
              </fieldset>
            ) : null}
          </form>
          <p class="actions">
            <a href={`${base}/qr.svg`}>{t('tracePages.labels.svg')}</a>
            <a href={`${base}/qr.png`}>{t('tracePages.labels.png')}</a>
          </p>
          <p>
            {t('tracePages.labels.publicPage')}:{' '}
            <a class="trace-uri" href={digitalLinkPath(b.gtin, b.lot)}>
              {digitalLinkPath(b.gtin, b.lot)}
            </a>
          </p>
        </section>
        {props.mayRecord && !b.recall ? (
          <p class="danger-zone">
            <a class="button secondary" href={`${base}/recall`}>
              {t('tracePages.batchPage.recall')}
            </a>
          </p>
        ) : null}
      </div>
    </Layout>
  );
}

/** A serial as printed: prefix + zero-padded number. */
export const serialText = (prefix: string, n: number, width: number) =>
  `${prefix}${String(n).padStart(width, '0')}`;

// --- one step -----------------------------------------------------------------------------------

export function StepPage(props: {
  page: PageContext;
  form: FormState;
  step: RecordedStep;
  batch: BatchDetail;
  productName: string;
  places: Location[];
  partners: Partner[];
  otherBatches: Option[];
}): Html {
  const { page, form, step, batch: b } = props;
  const { t } = page;
  const base = `/trace/batches/${b.id}`;
  const places = props.places.map((p) => placeOption(p));
  const partners = props.partners.map((p) => placeOption(p));
  const atPartner = step === 'receiving' || step === 'sale';
  const chosenInputs = (form.values.inputBatchIds ?? '').split(',').filter(Boolean);
  const title = t(`tracePages.step.${step}`);
  return (
    <Layout page={page} title={`${title} — ${t('tracePages.lotOf', { lot: b.lot })}`}>
      <div class="trace">
        <Back href={base} label={`${props.productName} · ${t('tracePages.lotOf', { lot: b.lot })}`} />
        <h1>{title}</h1>
        <p>{t(`tracePages.stepIntro.${step}`)}</p>
        {props.places.length === 0 || (step === 'shipping' && props.partners.length === 0) ? (
          <p class="alert" role="alert">
            {props.places.length === 0 ? t('tracePages.form.noPlaces') : t('tracePages.form.noPartners')}{' '}
            <a href={`/trace/places?producerId=${b.producerId}`}>{t('tracePages.form.addPlaces')}</a>
          </p>
        ) : null}
        <form method="post" action={`${base}/steps/${step}`} class="form">
          <CsrfField page={page} />
          <FormMessage form={form} />
          <Control
            page={page}
            form={form}
            name="eventTime"
            type="datetime-local"
            label={t('tracePages.form.eventTime')}
            required
          />
          <Control
            page={page}
            form={form}
            name="placeId"
            label={t(`tracePages.placeLabel.${step}`)}
            required
            options={[{ value: '', label: t('tracePages.choose') }]}
            groups={
              atPartner
                ? [
                    { label: t('tracePages.form.groupPartners'), options: partners },
                    { label: t('tracePages.form.groupPlaces'), options: places },
                  ]
                : [{ label: t('tracePages.form.groupPlaces'), options: places }]
            }
          />
          {step === 'shipping' || step === 'receiving' ? (
            <Control
              page={page}
              form={form}
              name="partnerId"
              label={step === 'shipping' ? t('tracePages.form.partnerTo') : t('tracePages.form.partnerFrom')}
              required={step === 'shipping'}
              options={[
                { value: '', label: step === 'shipping' ? t('tracePages.choose') : t('tracePages.none') },
              ]}
              groups={[
                { label: t('tracePages.form.groupPartners'), options: partners },
                { label: t('tracePages.form.groupPlaces'), options: places },
              ]}
            />
          ) : null}
          <div class="row-fields">
            <Control
              page={page}
              form={form}
              name="quantity"
              label={t('tracePages.batch.quantity')}
              inputmode="decimal"
            />
            <Control
              page={page}
              form={form}
              name="unit"
              label={t('tracePages.batch.unit')}
              options={unitOptions(page)}
            />
          </div>
          {step === 'processing' ? (
            <Choices
              page={page}
              form={form}
              name="inputBatchIds"
              type="checkbox"
              label={t('tracePages.form.inputs')}
              hint={props.otherBatches.length === 0 ? t('tracePages.batch.noOtherBatches') : undefined}
              options={props.otherBatches}
              chosen={chosenInputs}
            />
          ) : null}
          {step === 'packing' ? (
            <Control
              page={page}
              form={form}
              name="sscc"
              label={t('tracePages.form.sscc')}
              hint={t('tracePages.form.ssccHint')}
              inputmode="numeric"
              maxlength={24}
            />
          ) : null}
          {step === 'inspection' ? (
            <>
              <Choices
                page={page}
                form={form}
                name="conformant"
                type="radio"
                label={t('tracePages.form.result')}
                options={[
                  { value: 'yes', label: t('tracePages.form.passed') },
                  { value: 'no', label: t('tracePages.form.failed') },
                ]}
                chosen={[form.values.conformant ?? 'yes']}
              />
              <Control
                page={page}
                form={form}
                name="reportId"
                label={t('tracePages.form.report')}
                hint={t('tracePages.form.reportHint')}
                options={[
                  { value: '', label: t('tracePages.form.reportNone') },
                  ...b.testReports.map((r) => ({
                    value: r.id,
                    label: r.issuedOn ? `${r.name} (${date(page, r.issuedOn)})` : r.name,
                  })),
                ]}
              />
            </>
          ) : null}
          {step === 'shipping' || step === 'receiving' || step === 'sale' ? (
            <Control
              page={page}
              form={form}
              name="document"
              label={t('tracePages.form.document')}
              maxlength={100}
            />
          ) : null}
          <Control
            page={page}
            form={form}
            name="note"
            type="textarea"
            label={t('tracePages.form.note')}
            maxlength={500}
          />
          <button type="submit">{t('tracePages.form.save')}</button>
          <p>
            <a href={base}>{t('tracePages.cancel')}</a>
          </p>
        </form>
      </div>
    </Layout>
  );
}

// --- the recall ---------------------------------------------------------------------------------

export function RecallPage(props: {
  page: PageContext;
  form: FormState;
  batch: BatchDetail;
  productName: string;
  places: Location[];
}): Html {
  const { page, form, batch: b } = props;
  const { t } = page;
  const base = `/trace/batches/${b.id}`;
  const title = t('tracePages.recallPage.title', { lot: b.lot });
  return (
    <Layout page={page} title={title}>
      <div class="trace">
        <Back href={base} label={`${props.productName} · ${t('tracePages.lotOf', { lot: b.lot })}`} />
        <h1>{title}</h1>
        <p class="alert">{t('tracePages.recallPage.intro')}</p>
        <form method="post" action={`${base}/recall`} class="form">
          <CsrfField page={page} />
          <FormMessage form={form} />
          <Control
            page={page}
            form={form}
            name="reason"
            type="textarea"
            label={t('tracePages.recallPage.reason')}
            hint={t('tracePages.recallPage.reasonHint')}
            required
            maxlength={1000}
          />
          <Control
            page={page}
            form={form}
            name="placeId"
            label={t('tracePages.recallPage.place')}
            options={props.places.map((p) => placeOption(p))}
          />
          <Confirm page={page} form={form} name="confirm" label={t('tracePages.recallPage.confirm')} />
          <button type="submit">{t('tracePages.recallPage.submit')}</button>
          <p>
            <a href={base}>{t('tracePages.cancel')}</a>
          </p>
        </form>
      </div>
    </Layout>
  );
}

// --- places and partners ------------------------------------------------------------------------

function mapLink(p: { latitude: number | null; longitude: number | null }) {
  return p.latitude === null || p.longitude === null
    ? null
    : `https://www.openstreetmap.org/?mlat=${p.latitude}&mlon=${p.longitude}#map=15/${p.latitude}/${p.longitude}`;
}

function PlaceCard(props: {
  page: PageContext;
  name: string;
  kind: string;
  identifier: string;
  minted: boolean;
  rows: [string, Child][];
  map: string | null;
}): Html {
  const { page } = props;
  const { t } = page;
  return (
    <li class="card">
      <h3>{props.name}</h3>
      <p class="muted">{kindLabel(t, props.kind)}</p>
      <Facts
        rows={[
          ...props.rows,
          [
            t('tracePages.places.identifier'),
            props.minted ? t('tracePages.places.minted') : <span class="mono">{props.identifier}</span>,
          ],
        ]}
      />
      {props.map ? (
        <p>
          <a href={props.map} rel="noopener">
            {t('tracePages.places.map')}
          </a>
        </p>
      ) : null}
    </li>
  );
}

export function PlacesPage(props: {
  page: PageContext;
  producer: { id: string; name: string };
  office: boolean;
  places: Location[];
  partners: Partner[];
  placeForm: FormState;
  partnerForm: FormState;
  mayRecord: boolean;
  notice: string | null;
}): Html {
  const { page, placeForm, partnerForm } = props;
  const { t } = page;
  const query = props.office ? `?producerId=${props.producer.id}` : '';
  return (
    <Layout page={page} title={t('tracePages.placesLink')}>
      <div class="trace">
        <Back href="/trace" label={t('tracePages.title')} />
        <h1>{t('tracePages.placesLink')}</h1>
        <ProducerLine
          page={page}
          name={props.producer.name}
          chooseHref={props.office ? '/trace/places' : null}
        />
        <p>{t('tracePages.places.intro')}</p>
        <Notice text={props.notice} />
        <section aria-labelledby="places">
          <h2 id="places">{t('tracePages.places.places')}</h2>
          {props.places.length === 0 ? (
            <p>{t('tracePages.places.noPlaces')}</p>
          ) : (
            <ul class="cards">
              {props.places.map((p) => (
                <PlaceCard
                  page={page}
                  name={p.name}
                  kind={p.kind}
                  identifier={p.identifier}
                  minted={p.minted}
                  map={mapLink(p)}
                  rows={[
                    [t('tracePages.places.communeShort'), p.communeCode],
                    [t('tracePages.places.certificationsShort'), p.certifications],
                  ]}
                />
              ))}
            </ul>
          )}
          {props.mayRecord ? (
            <>
              <h3>{t('tracePages.places.addPlace')}</h3>
              <form method="post" action={`/trace/places${query}`} class="form">
                <CsrfField page={page} />
                <FormMessage form={placeForm} />
                {props.office ? <input type="hidden" name="producerId" value={props.producer.id} /> : null}
                <Control
                  page={page}
                  form={placeForm}
                  name="kind"
                  label={t('tracePages.places.kind')}
                  required
                  options={LOCATION_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))}
                />
                <Control
                  page={page}
                  form={placeForm}
                  name="name"
                  label={t('tracePages.places.name')}
                  hint={t('tracePages.places.placeNameHint')}
                  required
                  maxlength={200}
                />
                <Control
                  page={page}
                  form={placeForm}
                  name="communeCode"
                  label={t('tracePages.places.commune')}
                  hint={t('tracePages.places.communeHint')}
                  inputmode="numeric"
                  maxlength={5}
                />
                <p class="hint">{t('tracePages.places.coordinatesHint')}</p>
                <div class="row-fields">
                  <Control
                    page={page}
                    form={placeForm}
                    name="latitude"
                    label={t('tracePages.places.latitude')}
                    inputmode="decimal"
                    maxlength={20}
                  />
                  <Control
                    page={page}
                    form={placeForm}
                    name="longitude"
                    label={t('tracePages.places.longitude')}
                    inputmode="decimal"
                    maxlength={20}
                  />
                </div>
                <Control
                  page={page}
                  form={placeForm}
                  name="certifications"
                  label={t('tracePages.places.certifications')}
                  maxlength={500}
                />
                <Control
                  page={page}
                  form={placeForm}
                  name="identifier"
                  label={t('tracePages.places.gln')}
                  hint={t('tracePages.places.glnHint')}
                  inputmode="numeric"
                  maxlength={200}
                />
                <button type="submit">{t('tracePages.places.addPlace')}</button>
              </form>
            </>
          ) : null}
        </section>
        <section aria-labelledby="partners">
          <h2 id="partners">{t('tracePages.places.partners')}</h2>
          {props.partners.length === 0 ? (
            <p>{t('tracePages.places.noPartners')}</p>
          ) : (
            <ul class="cards">
              {props.partners.map((p) => (
                <PlaceCard
                  page={page}
                  name={p.name}
                  kind={p.kind}
                  identifier={p.identifier}
                  minted={p.minted}
                  map={mapLink(p)}
                  rows={[
                    [t('tracePages.places.address'), p.address],
                    [t('tracePages.places.communeShort'), p.communeCode],
                  ]}
                />
              ))}
            </ul>
          )}
          {props.mayRecord ? (
            <>
              <h3>{t('tracePages.places.addPartner')}</h3>
              <form method="post" action={`/trace/partners${query}`} class="form">
                <CsrfField page={page} />
                <FormMessage form={partnerForm} />
                {props.office ? <input type="hidden" name="producerId" value={props.producer.id} /> : null}
                <Control
                  page={page}
                  form={partnerForm}
                  name="partner/kind"
                  label={t('tracePages.places.kind')}
                  required
                  options={PARTNER_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))}
                />
                <Control
                  page={page}
                  form={partnerForm}
                  name="partner/name"
                  label={t('tracePages.places.name')}
                  hint={t('tracePages.places.partnerNameHint')}
                  required
                  maxlength={200}
                />
                <Control
                  page={page}
                  form={partnerForm}
                  name="partner/address"
                  label={t('tracePages.places.address')}
                  maxlength={300}
                />
                <Control
                  page={page}
                  form={partnerForm}
                  name="partner/communeCode"
                  label={t('tracePages.places.commune')}
                  hint={t('tracePages.places.communeHint')}
                  inputmode="numeric"
                  maxlength={5}
                />
                <Control
                  page={page}
                  form={partnerForm}
                  name="partner/identifier"
                  label={t('tracePages.places.gln')}
                  hint={t('tracePages.places.glnHint')}
                  inputmode="numeric"
                  maxlength={200}
                />
                <button type="submit">{t('tracePages.places.addPartner')}</button>
              </form>
            </>
          ) : null}
        </section>
      </div>
    </Layout>
  );
}
