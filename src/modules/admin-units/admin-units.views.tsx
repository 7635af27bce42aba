import { Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { Layout, type PageContext } from '../../platform/views/layout.tsx';
import type { Era } from './admin-code.ts';
import type {
  AdminUnit,
  AdminUnitDetail,
  LinkedAdminUnit,
  AdminUnitPage as Page,
} from './admin-units.service.ts';

const unitHref = (unit: { code: string; era: Era }) =>
  unit.era === '2025' ? `/admin-units/${unit.code}` : `/admin-units/${unit.code}?era=pre2025`;

function EraTabs(props: { page: PageContext; era: Era; q?: string | undefined }): Html {
  const { t } = props.page;
  return (
    <nav class="tabs" aria-label={t('adminUnits.eraLabel')}>
      {(['2025', 'pre2025'] as const).map((era) => {
        const params = new URLSearchParams();
        if (era !== '2025') params.set('era', era);
        if (props.q) params.set('q', props.q);
        const query = params.toString();
        return (
          <a
            href={`/admin-units${query ? `?${query}` : ''}`}
            aria-current={era === props.era ? 'page' : undefined}
          >
            {t(`adminUnits.era.${era}`)}
          </a>
        );
      })}
    </nav>
  );
}

function UnitTable(props: {
  page: PageContext;
  units: (AdminUnit | LinkedAdminUnit)[];
  showMerge?: boolean;
}): Html {
  const { t } = props.page;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('adminUnits.code')}</th>
            <th scope="col">{t('adminUnits.name')}</th>
            {props.showMerge ? <th scope="col">{t('adminUnits.merge')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.units.map((unit) => (
            <tr>
              <td>
                <code>{unit.code}</code>
              </td>
              <td>
                <a href={unitHref(unit)}>
                  {props.page.locale === 'en' && unit.fullNameEn ? unit.fullNameEn : unit.fullName}
                </a>
              </td>
              {props.showMerge && 'merge' in unit ? <td>{t(`adminUnits.merge.${unit.merge}`)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AdminUnitsPage(props: {
  page: PageContext;
  era: Era;
  q: string | undefined;
  result: Page;
}): Html {
  const { page, era, q, result } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('adminUnits.title')} description={t('adminUnits.intro')}>
      <h1>{t('adminUnits.title')}</h1>
      <p class="lead">{t('adminUnits.intro')}</p>
      <EraTabs page={page} era={era} q={q} />
      <form method="get" action="/admin-units" class="search" role="search">
        {era === '2025' ? null : <input type="hidden" name="era" value={era} />}
        <label for="q">{t('adminUnits.search.label')}</label>
        <div class="search-row">
          <input id="q" name="q" type="search" value={q ?? ''} maxlength="100" autocomplete="off" />
          <button type="submit">{t('adminUnits.search.submit')}</button>
        </div>
      </form>
      {q ? (
        <p role="status">
          {result.total === 0
            ? t('adminUnits.search.none', { q })
            : t(result.fuzzy ? 'adminUnits.search.fuzzy' : 'adminUnits.search.results', {
                count: result.total,
                q,
              })}
          {result.total > result.items.length
            ? ` ${t('adminUnits.search.first', { shown: result.items.length })}`
            : ''}
        </p>
      ) : (
        <h2>{t('adminUnits.level.province')}</h2>
      )}
      {result.items.length > 0 ? <UnitTable page={page} units={result.items} /> : null}
      <p class="muted">{t('adminUnits.source')}</p>
    </Layout>
  );
}

export function AdminUnitPage(props: {
  page: PageContext;
  unit: AdminUnitDetail;
  children: Page | undefined;
}): Html {
  const { page, unit, children } = props;
  const { t } = page;
  const name = page.locale === 'en' && unit.fullNameEn ? unit.fullNameEn : unit.fullName;
  return (
    <Layout page={page} title={name}>
      <p class="eyebrow">{t(`adminUnits.era.${unit.era}`)}</p>
      <h1>{name}</h1>
      <dl class="facts">
        <dt>{t('adminUnits.code')}</dt>
        <dd>
          <code>{unit.code}</code>
        </dd>
        <dt>{t('adminUnits.type')}</dt>
        <dd>{t(`adminUnits.unitType.${unit.type}`)}</dd>
        {unit.parent ? (
          <>
            <dt>{t('adminUnits.parent')}</dt>
            <dd>
              <a href={unitHref(unit.parent)}>{unit.parent.fullName}</a>
            </dd>
          </>
        ) : null}
      </dl>
      {unit.successors && unit.successors.length > 0 ? (
        <section>
          <h2>{t('adminUnits.successors')}</h2>
          <UnitTable page={page} units={unit.successors} showMerge />
        </section>
      ) : null}
      {unit.predecessors && unit.predecessors.length > 0 ? (
        <section>
          <h2>{t('adminUnits.predecessors')}</h2>
          <UnitTable page={page} units={unit.predecessors} showMerge />
        </section>
      ) : null}
      {children && children.items.length > 0 ? (
        <section>
          <h2>{t('adminUnits.children', { count: children.total })}</h2>
          <UnitTable page={page} units={children.items} />
        </section>
      ) : null}
    </Layout>
  );
}
