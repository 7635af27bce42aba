import { formatDate } from '../../platform/time.ts';
import { Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { EMPTY, Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import {
  AREA_CERTIFICATION_KINDS,
  LEGAL_TYPES,
  QUALITY_CERTIFICATE_KINDS,
  SALES_CHANNEL_KINDS,
} from './producer-rules.ts';
import type { Producer } from './producers.service.ts';

/** A link that keeps the list's filters and moves to another page (cursor) or format. */
export function listUrl(
  path: string,
  query: Record<string, string | undefined>,
  extra: Record<string, string>,
) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...extra })) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export function DemoBadge(props: { page: PageContext; show: boolean }): Html {
  return props.show ? <span class="badge badge-demo">{props.page.t('producers.demo')}</span> : EMPTY;
}

export function ProducersPage(props: {
  page: PageContext;
  producers: Producer[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  communeNames: Map<string, string>;
  canCreate: boolean;
  canExport: boolean;
  canImport: boolean;
}): Html {
  const { page, query } = props;
  const { t } = page;
  const filters = { values: query as Record<string, string>, errors: [] };
  return (
    <Layout page={page} title={t('producers.title')}>
      <h1>{t('producers.title')}</h1>
      <div class="actions">
        {props.canCreate ? <a href="/producers/new">{t('producers.new')}</a> : null}
        {props.canImport ? <a href="/imports">{t('producers.import')}</a> : null}
        {props.canExport ? (
          <>
            <a href={listUrl('/producers/export', query, { format: 'xlsx' })}>{t('producers.exportXlsx')}</a>
            <a href={listUrl('/producers/export', query, { format: 'csv' })}>{t('producers.exportCsv')}</a>
          </>
        ) : null}
      </div>
      <form method="get" action="/producers" class="filters" role="search">
        <Field page={page} form={filters} name="q" label={t('producers.search')} type="search" />
        <Field page={page} form={filters} name="communeCode" label={t('producers.communeCode')} />
        <Field
          page={page}
          form={filters}
          name="legalType"
          label={t('producers.legalType')}
          options={[
            { value: '', label: t('producers.any') },
            ...LEGAL_TYPES.map((type) => ({ value: type, label: t(`producers.legalType.${type}`) })),
          ]}
        />
        <p>
          <button type="submit">{t('producers.filter')}</button>
        </p>
      </form>
      {props.producers.length === 0 ? (
        <p>{t('producers.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('producers.legalName')}</th>
                <th scope="col">{t('producers.legalType')}</th>
                <th scope="col">{t('producers.identifier')}</th>
                <th scope="col">{t('producers.commune')}</th>
              </tr>
            </thead>
            <tbody>
              {props.producers.map((p) => (
                <tr>
                  <td>
                    <a href={`/producers/${p.id}`}>{p.legalName}</a> <DemoBadge page={page} show={p.isDemo} />
                  </td>
                  <td>{t(`producers.legalType.${p.legalType}`)}</td>
                  <td>{p.registrationNumber ?? p.taxCode}</td>
                  <td>{props.communeNames.get(p.communeCode) ?? p.communeCode}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.nextCursor ? (
        <p>
          <a href={listUrl('/producers', query, { cursor: props.nextCursor })} rel="next">
            {t('producers.next')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

function Fact(props: { label: string; value: string | number | null | undefined }): Html {
  return props.value === null || props.value === undefined || props.value === '' ? (
    EMPTY
  ) : (
    <>
      <dt>{props.label}</dt>
      <dd>{String(props.value)}</dd>
    </>
  );
}

export function ProducerPage(props: {
  page: PageContext;
  producer: Producer;
  communeName: string;
  canEdit: boolean;
  /** Full record for staff and the producer itself; the public sees the basics. */
  full: boolean;
  products: { id: string; name: string; stars: number | null }[];
}): Html {
  const { page, producer: p } = props;
  const { t } = page;
  return (
    <Layout
      page={page}
      title={p.legalName}
      description={t('producers.publicDescription', { name: p.legalName })}
    >
      <p class="eyebrow">{t(`producers.legalType.${p.legalType}`)}</p>
      <h1>
        {p.legalName} <DemoBadge page={page} show={p.isDemo} />
      </h1>
      {props.canEdit ? (
        <p class="actions">
          <a href={`/producers/${p.id}/edit`}>{t('producers.edit')}</a>
          <a href={`/products?producerId=${p.id}`}>{t('producers.products')}</a>
          <a href={`/products/new?producerId=${p.id}`}>{t('producers.newProduct')}</a>
        </p>
      ) : null}
      <dl class="facts">
        <Fact
          label={t('producers.address')}
          value={[p.address, props.communeName].filter(Boolean).join(', ')}
        />
        {props.full ? (
          <>
            <Fact label={t('producers.registrationNumber')} value={p.registrationNumber} />
            <Fact label={t('producers.taxCode')} value={p.taxCode} />
            <Fact label={t('producers.foundedOn')} value={formatDate(p.foundedOn, page.locale)} />
            <Fact
              label={t('producers.representativeName')}
              value={[p.representativeName, p.representativeTitle].filter(Boolean).join(', ')}
            />
            <Fact label={t('producers.phone')} value={p.phone} />
            <Fact label={t('producers.email')} value={p.email} />
            <Fact label={t('producers.workerCount')} value={p.workerCount} />
            <Fact label={t('producers.trainedWorkerCount')} value={p.trainedWorkerCount} />
            <Fact label={t('producers.isSme')} value={p.isSme ? t('producers.yes') : null} />
            <Fact
              label={t('producers.circularEconomy')}
              value={p.circularEconomy ? (p.circularEconomyDescription ?? t('producers.yes')) : null}
            />
          </>
        ) : null}
        <Fact label={t('producers.website')} value={p.website} />
      </dl>
      {props.full && p.rawMaterialAreas.length > 0 ? (
        <>
          <h2>{t('producers.rawMaterialAreas')}</h2>
          <ul>
            {p.rawMaterialAreas.map((a) => (
              <li>
                {a.name} · {a.hectares} ha · {a.communeCode}
                {a.certifications.map(
                  (c) =>
                    ` · ${t(`producers.certification.${c.kind}`)}${c.validUntil ? ` (${t('producers.until', { date: formatDate(c.validUntil, page.locale) })})` : ''}`,
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {props.full && p.qualityCertificates.length > 0 ? (
        <>
          <h2>{t('producers.qualityCertificates')}</h2>
          <ul>
            {p.qualityCertificates.map((c) => (
              <li>
                {t(`producers.certification.${c.kind}`)} {c.number ?? ''} {c.issuer ? `· ${c.issuer}` : ''}
                {c.validUntil
                  ? ` (${t('producers.until', { date: formatDate(c.validUntil, page.locale) })})`
                  : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {p.salesChannels.length > 0 ? (
        <>
          <h2>{t('producers.salesChannels')}</h2>
          <ul>
            {p.salesChannels.map((c) => (
              <li>
                {t(`producers.channel.${c.kind}`)}
                {c.name ? ` · ${c.name}` : ''}{' '}
                {c.url ? (
                  <a href={c.url} rel="nofollow noopener">
                    {c.url}
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t('producers.products')}</h2>
      {props.products.length === 0 ? (
        <p>{t('producers.noProducts')}</p>
      ) : (
        <ul>
          {props.products.map((product) => (
            <li>
              <a href={`/products/${product.id}`}>{product.name}</a>
              {product.stars ? <span class="stars"> {'★'.repeat(product.stars)}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

const options = (t: PageContext['t'], prefix: string, values: readonly string[], blank = true) => [
  ...(blank ? [{ value: '', label: '—' }] : []),
  ...values.map((value) => ({ value, label: t(`${prefix}.${value}`) })),
];

/** How many rows of each repeated group the form shows: the filled ones and one blank. */
function rowCount(form: FormState, prefix: string): number {
  let max = -1;
  for (const key of Object.keys(form.values)) {
    const match = new RegExp(`^${prefix}/(\\d+)/`).exec(key);
    if (match) max = Math.max(max, Number(match[1]));
  }
  return max + 2;
}

export function ProducerFormPage(props: {
  page: PageContext;
  form: FormState;
  action: string;
  title: string;
  /** A producer's own account: the legal form, identifiers and commune are the officers' to change. */
  lockOfficerFields?: boolean;
}): Html {
  const { page, form } = props;
  const { t } = page;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  return (
    <Layout page={page} title={props.title}>
      <h1>{props.title}</h1>
      <form method="post" action={props.action} class="form form-wide" novalidate>
        <CsrfField page={page} />
        <FormMessage form={form} />
        <input type="hidden" name="version" value={form.values.version ?? ''} />
        <fieldset>
          <legend>{t('producers.section.legal')}</legend>
          <Field
            page={page}
            form={form}
            name="legalType"
            locked={props.lockOfficerFields}
            label={t('producers.legalType')}
            options={options(t, 'producers.legalType', LEGAL_TYPES, false)}
          />
          <Field
            page={page}
            form={form}
            name="isSme"
            locked={props.lockOfficerFields}
            label={t('producers.isSme')}
            type="checkbox"
          />
          <Field page={page} form={form} name="legalName" label={t('producers.legalName')} required />
          <Field
            page={page}
            form={form}
            name="registrationNumber"
            locked={props.lockOfficerFields}
            label={t('producers.registrationNumber')}
            hint={t('producers.registrationHint')}
          />
          <Field
            page={page}
            form={form}
            name="taxCode"
            locked={props.lockOfficerFields}
            label={t('producers.taxCode')}
            hint={t('producers.taxCodeHint')}
          />
          <Field page={page} form={form} name="foundedOn" label={t('producers.foundedOn')} type="date" />
        </fieldset>
        <fieldset>
          <legend>{t('producers.section.address')}</legend>
          <Field page={page} form={form} name="address" label={t('producers.address')} />
          <Field
            page={page}
            form={form}
            name="communeCode"
            locked={props.lockOfficerFields}
            label={t('producers.communeCode')}
            hint={t('producers.communeHint')}
            required
          />
          <Field
            page={page}
            form={form}
            name="oldCommuneCode"
            locked={props.lockOfficerFields}
            label={t('producers.oldCommuneCode')}
            hint={t('producers.oldCommuneHint')}
          />
        </fieldset>
        <fieldset>
          <legend>{t('producers.section.contact')}</legend>
          <Field
            page={page}
            form={form}
            name="representativeName"
            label={t('producers.representativeName')}
          />
          <Field
            page={page}
            form={form}
            name="representativeTitle"
            label={t('producers.representativeTitle')}
          />
          <Field page={page} form={form} name="phone" label={t('producers.phone')} type="tel" />
          <Field page={page} form={form} name="email" label={t('producers.email')} type="email" />
          <Field page={page} form={form} name="website" label={t('producers.website')} type="url" />
        </fieldset>
        <fieldset>
          <legend>{t('producers.section.workforce')}</legend>
          <Field
            page={page}
            form={form}
            name="workerCount"
            label={t('producers.workerCount')}
            type="number"
          />
          <Field
            page={page}
            form={form}
            name="trainedWorkerCount"
            label={t('producers.trainedWorkerCount')}
            type="number"
          />
          <Field
            page={page}
            form={form}
            name="circularEconomy"
            label={t('producers.circularEconomy')}
            type="checkbox"
          />
          <Field
            page={page}
            form={form}
            name="circularEconomyDescription"
            label={t('producers.circularEconomyDescription')}
            type="textarea"
          />
        </fieldset>
        <fieldset>
          <legend>{t('producers.rawMaterialAreas')}</legend>
          {range(rowCount(form, 'rawMaterialAreas')).map((i) => (
            <div class="row-fields area">
              <Field
                page={page}
                form={form}
                name={`rawMaterialAreas/${i}/name`}
                label={t('producers.area.name')}
              />
              <Field
                page={page}
                form={form}
                name={`rawMaterialAreas/${i}/communeCode`}
                label={t('producers.communeCode')}
              />
              <Field
                page={page}
                form={form}
                name={`rawMaterialAreas/${i}/hectares`}
                label={t('producers.area.hectares')}
              />
              {range(rowCount(form, `rawMaterialAreas/${i}/certifications`)).map((j) => (
                <div class="row-fields">
                  <Field
                    page={page}
                    form={form}
                    name={`rawMaterialAreas/${i}/certifications/${j}/kind`}
                    label={t('producers.area.certification')}
                    options={options(t, 'producers.certification', AREA_CERTIFICATION_KINDS)}
                  />
                  <Field
                    page={page}
                    form={form}
                    name={`rawMaterialAreas/${i}/certifications/${j}/number`}
                    label={t('producers.certificate.number')}
                  />
                  <Field
                    page={page}
                    form={form}
                    name={`rawMaterialAreas/${i}/certifications/${j}/validFrom`}
                    label={t('producers.validFrom')}
                    type="date"
                  />
                  <Field
                    page={page}
                    form={form}
                    name={`rawMaterialAreas/${i}/certifications/${j}/validUntil`}
                    label={t('producers.validUntil')}
                    type="date"
                  />
                </div>
              ))}
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('producers.qualityCertificates')}</legend>
          {range(rowCount(form, 'qualityCertificates')).map((i) => (
            <div class="row-fields">
              <Field
                page={page}
                form={form}
                name={`qualityCertificates/${i}/kind`}
                label={t('producers.certificate.kind')}
                options={options(t, 'producers.certification', QUALITY_CERTIFICATE_KINDS)}
              />
              <Field
                page={page}
                form={form}
                name={`qualityCertificates/${i}/number`}
                label={t('producers.certificate.number')}
              />
              <Field
                page={page}
                form={form}
                name={`qualityCertificates/${i}/issuer`}
                label={t('producers.certificate.issuer')}
              />
              <Field
                page={page}
                form={form}
                name={`qualityCertificates/${i}/validFrom`}
                label={t('producers.validFrom')}
                type="date"
              />
              <Field
                page={page}
                form={form}
                name={`qualityCertificates/${i}/validUntil`}
                label={t('producers.validUntil')}
                type="date"
              />
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('producers.salesChannels')}</legend>
          {range(rowCount(form, 'salesChannels')).map((i) => (
            <div class="row-fields">
              <Field
                page={page}
                form={form}
                name={`salesChannels/${i}/kind`}
                label={t('producers.channel.kind')}
                options={options(t, 'producers.channel', SALES_CHANNEL_KINDS)}
              />
              <Field
                page={page}
                form={form}
                name={`salesChannels/${i}/name`}
                label={t('producers.channel.name')}
              />
              <Field
                page={page}
                form={form}
                name={`salesChannels/${i}/url`}
                label={t('producers.channel.url')}
                type="url"
              />
              <Field
                page={page}
                form={form}
                name={`salesChannels/${i}/since`}
                label={t('producers.channel.since')}
                type="date"
              />
            </div>
          ))}
        </fieldset>
        <p>
          <button type="submit">{t('producers.save')}</button>
        </p>
      </form>
    </Layout>
  );
}
