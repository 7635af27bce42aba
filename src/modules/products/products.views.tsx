import { formatDateTime } from '../../platform/time.ts';
import { Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { Fragment, type Html, h, raw } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import { DemoBadge, listUrl } from '../producers/index.ts';
import type { DocumentInfo } from './documents.service.ts';
import { DOSSIER_KINDS } from './dossier-checklist.ts';
import type { Dossier } from './dossiers.service.ts';
import { PRODUCT_SETS, productSet } from './product-sets.ts';
import { starsText } from './products.http.ts';
import type { Product } from './products.service.ts';

const money = (value: number | null, locale: string) =>
  value === null ? '' : `${value.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-US')} ₫`;

export function priceRange(p: Product, locale: string): string {
  if (p.priceMin === null && p.priceMax === null) return '';
  if (p.priceMin !== null && p.priceMax !== null && p.priceMin !== p.priceMax)
    return `${money(p.priceMin, locale)} – ${money(p.priceMax, locale)}`;
  return money(p.priceMin ?? p.priceMax, locale);
}

export function Stars(props: { page: PageContext; stars: number | null }): Html {
  return props.stars ? (
    <span class="stars">
      <span aria-hidden="true">{starsText(props.stars)}</span>
      <span class="visually-hidden">{props.page.t('products.starsLabel', { stars: props.stars })}</span>
    </span>
  ) : (
    <span class="badge">{props.page.t('products.notRecognised')}</span>
  );
}

const setOptions = (blank: string) => [
  { value: '', label: blank },
  ...PRODUCT_SETS.map((s) => ({ value: String(s.set), label: `${s.set}. ${s.name}` })),
];

export function ProductsPage(props: {
  page: PageContext;
  products: Product[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  communeNames: Map<string, string>;
  staff: boolean;
  canExport: boolean;
  canImport: boolean;
}): Html {
  const { page, query } = props;
  const { t } = page;
  const filters = { values: query as Record<string, string>, errors: [] };
  const title = t(props.staff ? 'products.title' : 'products.publicTitle');
  return (
    <Layout page={page} title={title}>
      <h1>{title}</h1>
      {props.staff ? (
        <div class="actions">
          {props.canImport ? <a href="/imports">{t('producers.import')}</a> : null}
          {props.canExport ? (
            <>
              <a href={listUrl('/products/export', query, { format: 'xlsx' })}>{t('producers.exportXlsx')}</a>
              <a href={listUrl('/products/export', query, { format: 'csv' })}>{t('producers.exportCsv')}</a>
            </>
          ) : null}
        </div>
      ) : null}
      <form method="get" action="/products" class="filters" role="search">
        <Field page={page} form={filters} name="q" label={t('products.search')} type="search" />
        {props.staff ? (
          <Field page={page} form={filters} name="communeCode" label={t('producers.communeCode')} />
        ) : null}
        <Field
          page={page}
          form={filters}
          name="productSet"
          label={t('products.productSet')}
          options={setOptions(t('producers.any'))}
        />
        <Field
          page={page}
          form={filters}
          name="stars"
          label={t('products.stars')}
          options={[
            { value: '', label: t('producers.any') },
            { value: '5', label: '★★★★★' },
            { value: '4', label: '★★★★' },
            { value: '3', label: '★★★' },
            ...(props.staff ? [{ value: '0', label: t('products.notRecognised') }] : []),
          ]}
        />
        {query.producerId ? <input type="hidden" name="producerId" value={query.producerId} /> : null}
        <p>
          <button type="submit">{t('producers.filter')}</button>
        </p>
      </form>
      {props.products.length === 0 ? (
        <p>{t('products.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('products.name')}</th>
                <th scope="col">{t('products.stars')}</th>
                <th scope="col">{t('products.producer')}</th>
                <th scope="col">{t('products.productSet')}</th>
                <th scope="col">{t('producers.commune')}</th>
                {props.staff ? <th scope="col">{t('products.productCode')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.products.map((p) => (
                <tr>
                  <td>
                    <a href={`/products/${p.id}`}>{p.name}</a> <DemoBadge page={page} show={p.isDemo} />
                  </td>
                  <td>
                    <Stars page={page} stars={p.stars} />
                  </td>
                  <td>
                    {props.staff ? (
                      <a href={`/producers/${p.producerId}`}>{p.producerName}</a>
                    ) : (
                      p.producerName
                    )}
                  </td>
                  <td>{`${p.productSet}. ${productSet(p.productSet)?.name ?? ''}`}</td>
                  <td>{props.communeNames.get(p.communeCode) ?? p.communeCode}</td>
                  {props.staff ? <td>{p.productCode ?? ''}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.nextCursor ? (
        <p>
          <a href={listUrl('/products', query, { cursor: props.nextCursor })} rel="next">
            {t('producers.next')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

export function ProductFormPage(props: {
  page: PageContext;
  form: FormState;
  producerName: string;
  action: string;
  title: string;
}): Html {
  const { page, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={props.title}>
      <p class="eyebrow">{props.producerName}</p>
      <h1>{props.title}</h1>
      <form method="post" action={props.action} class="form form-wide" novalidate>
        <CsrfField page={page} />
        <FormMessage form={form} />
        <input type="hidden" name="producerId" value={form.values.producerId ?? ''} />
        <input type="hidden" name="version" value={form.values.version ?? ''} />
        <Field page={page} form={form} name="name" label={t('products.name')} required />
        <Field
          page={page}
          form={form}
          name="productSet"
          label={t('products.productSet')}
          options={setOptions('—')}
          required
        />
        <Field page={page} form={form} name="description" label={t('products.description')} type="textarea" />
        <Field
          page={page}
          form={form}
          name="story"
          label={t('products.story')}
          type="textarea"
          hint={t('products.storyHint')}
        />
        <Field page={page} form={form} name="packaging" label={t('products.packaging')} />
        <Field
          page={page}
          form={form}
          name="netContent"
          label={t('products.netContent')}
          placeholder="500 g"
        />
        <Field
          page={page}
          form={form}
          name="shelfLifeDays"
          label={t('products.shelfLifeDays')}
          type="number"
        />
        <Field
          page={page}
          form={form}
          name="gtins"
          label={t('products.gtins')}
          hint={t('products.gtinsHint')}
        />
        <Field page={page} form={form} name="priceMin" label={t('products.priceMin')} type="number" />
        <Field page={page} form={form} name="priceMax" label={t('products.priceMax')} type="number" />
        <Field
          page={page}
          form={form}
          name="status"
          label={t('products.status')}
          options={[
            { value: 'active', label: t('products.status.active') },
            { value: 'discontinued', label: t('products.status.discontinued') },
          ]}
        />
        {/* the GTIN field's errors are per code (gtins/0…): show them with the field */}
        {form.errors
          .filter((e) => e.name.startsWith('gtins/'))
          .map((e) => (
            <p class="error">{`${t('products.gtins')} ${Number(e.name.split('/')[1]) + 1}: ${t(`validation.${e.rule}`, e.params)}`}</p>
          ))}
        <p>
          <button type="submit">{t('producers.save')}</button>
        </p>
      </form>
    </Layout>
  );
}

function Facts(props: { rows: [string, string | number | null | undefined][] }): Html {
  return (
    <dl class="facts">
      {props.rows
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([label, value]) => (
          <>
            <dt>{label}</dt>
            <dd>{String(value)}</dd>
          </>
        ))}
    </dl>
  );
}

export function ProductPage(props: {
  page: PageContext;
  product: Product;
  images: DocumentInfo[];
  dossiers: Dossier[];
  communeName: string;
  canEdit: boolean;
  canOpenDossier: boolean;
  upload: FormState;
  uploadLimitMb: number;
}): Html {
  const { page, product: p } = props;
  const { t } = page;
  const set = productSet(p.productSet);
  return (
    <Layout page={page} title={p.name}>
      <p class="eyebrow">
        <a href={`/producers/${p.producerId}`}>{p.producerName}</a>
      </p>
      <h1>
        {p.name} <DemoBadge page={page} show={p.isDemo} />
      </h1>
      <p>
        <Stars page={page} stars={p.stars} />
      </p>
      {props.canEdit ? (
        <p class="actions">
          <a href={`/products/${p.id}/edit`}>{t('products.edit')}</a>
        </p>
      ) : null}
      <Facts
        rows={[
          [t('products.productCode'), p.productCode ?? t('products.noCodeYet')],
          [t('products.productSet'), `${p.productSet}. ${set?.name ?? ''}`],
          [t('products.sector'), p.sector],
          [t('products.group'), p.group],
          [t('producers.commune'), props.communeName],
          [t('products.packaging'), p.packaging],
          [t('products.netContent'), p.netContent],
          [t('products.shelfLifeDays'), p.shelfLifeDays],
          [t('products.gtins'), p.gtins.join(', ')],
          [t('products.price'), priceRange(p, page.locale)],
          [t('products.status'), t(`products.status.${p.status}`)],
        ]}
      />
      {p.description ? <p>{p.description}</p> : null}
      {p.story ? (
        <>
          <h2>{t('products.story')}</h2>
          <p>{p.story}</p>
        </>
      ) : null}
      <h2>{t('products.images')}</h2>
      <div class="thumbs">
        {props.images.map((image) => (
          <a href={`/documents/${image.id}`}>
            <img src={`/documents/${image.id}/thumbnail`} alt={image.fileName} loading="lazy" />
          </a>
        ))}
      </div>
      {props.canEdit ? (
        <form method="post" action={`/products/${p.id}/images`} enctype="multipart/form-data" class="form">
          <CsrfField page={page} />
          <FormMessage form={props.upload} />
          <div class={props.upload.errors.length > 0 ? 'field field-error' : 'field'}>
            <label for="f-image">{t('products.addImage')}</label>
            <p class="hint">{t('products.imageHint', { limit: props.uploadLimitMb })}</p>
            <input id="f-image" type="file" name="file" accept="image/jpeg,image/png" required />
          </div>
          <p>
            <button type="submit">{t('products.upload')}</button>
          </p>
        </form>
      ) : null}
      <h2>{t('dossiers.title')}</h2>
      {props.dossiers.length === 0 ? (
        <p>{t('dossiers.none')}</p>
      ) : (
        <ul>
          {props.dossiers.map((d) => (
            <li>
              <a href={`/dossiers/${d.id}`}>
                {t(`dossiers.kind.${d.kind}`)} · {t(`dossiers.status.${d.status}`)}
              </a>
            </li>
          ))}
        </ul>
      )}
      {props.canOpenDossier ? (
        <form method="post" action="/dossiers" class="form">
          <CsrfField page={page} />
          <input type="hidden" name="productId" value={p.id} />
          <Field
            page={page}
            form={emptyKind}
            name="kind"
            label={t('dossiers.kind')}
            options={DOSSIER_KINDS.map((k) => ({ value: k, label: t(`dossiers.kind.${k}`) }))}
          />
          <p>
            <button type="submit">{t('dossiers.open')}</button>
          </p>
        </form>
      ) : null}
    </Layout>
  );
}
const emptyKind = { values: { kind: 'first_evaluation' }, errors: [] };

/** The public page of a recognised product: small, no script, readable by machines (schema.org). */
export function PublicProductPage(props: {
  page: PageContext;
  product: Product;
  images: DocumentInfo[];
  communeName: string;
}): Html {
  const { page, product: p } = props;
  const { t } = page;
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    ...(p.gtins[0] ? { gtin: p.gtins[0] } : {}),
    ...(p.productCode ? { productID: p.productCode } : {}),
    category: productSet(p.productSet)?.name,
    brand: { '@type': 'Organization', name: p.producerName },
    manufacturer: { '@type': 'Organization', name: p.producerName, address: props.communeName },
    ...(p.stars ? { award: `OCOP ${p.stars} sao` } : {}),
    ...(props.images[0] ? { image: `/documents/${props.images[0].id}` } : {}),
  };
  return (
    <Layout
      page={page}
      title={p.name}
      description={t('products.publicDescription', { name: p.name, stars: p.stars ?? 0 })}
    >
      <p class="eyebrow">
        <a href={`/producers/${p.producerId}`}>{p.producerName}</a> · {props.communeName}
      </p>
      <h1>
        {p.name} <DemoBadge page={page} show={p.isDemo} />
      </h1>
      <p>
        <Stars page={page} stars={p.stars} /> {t('products.ocopRecognised')}
      </p>
      <div class="thumbs">
        {props.images.slice(0, 4).map((image) => (
          <img src={`/documents/${image.id}/thumbnail`} alt={p.name} loading="lazy" />
        ))}
      </div>
      {p.description ? <p>{p.description}</p> : null}
      <Facts
        rows={[
          [t('products.productCode'), p.productCode],
          [t('products.productSet'), productSet(p.productSet)?.name],
          [t('products.netContent'), p.netContent],
          [t('products.price'), priceRange(p, page.locale)],
        ]}
      />
      {p.story ? (
        <>
          <h2>{t('products.story')}</h2>
          <p>{p.story}</p>
        </>
      ) : null}
      <script type="application/ld+json">{raw(JSON.stringify(jsonLd).replace(/</g, '\\u003c'))}</script>
    </Layout>
  );
}

/** A document and the versions it replaced, newest first, each downloadable. */
export function DocumentVersionsPage(props: { page: PageContext; versions: DocumentInfo[] }): Html {
  const { page, versions } = props;
  const { t } = page;
  const current = versions[0];
  return (
    <Layout page={page} title={t('documents.versions')}>
      <p class="eyebrow">{current ? t(`dossiers.item.${current.kind}`) : ''}</p>
      <h1>{t('documents.versions')}</h1>
      <ol>
        {versions.map((v, i) => (
          <li>
            <a href={`/documents/${v.id}`}>{v.fileName}</a> · {formatDateTime(v.uploadedAt, page.locale)} ·{' '}
            {Math.max(1, Math.round(v.size / 1024))} KB ·{' '}
            {i === 0 && !v.supersededAt ? (
              <strong>{t('documents.current')}</strong>
            ) : (
              t('documents.replacedOn', { date: formatDateTime(v.supersededAt, page.locale) })
            )}
          </li>
        ))}
      </ol>
      {current?.dossierId ? (
        <p>
          <a href={`/dossiers/${current.dossierId}#documents`}>{t('documents.backToDossier')}</a>
        </p>
      ) : null}
    </Layout>
  );
}
