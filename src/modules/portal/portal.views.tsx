import { type Html, h } from '../../platform/views/jsx.ts';
import { Layout, type PageContext } from '../../platform/views/layout.tsx';

interface Part {
  key: string;
  href?: string;
}

/** Parts with an href are in service; the others are listed honestly as being built. */
const PARTS: Part[] = [
  { key: 'adminUnits', href: '/admin-units' },
  { key: 'api', href: '/api/docs' },
  { key: 'registry', href: '/products' },
  { key: 'evaluation', href: '/criteria' },
  { key: 'certificates', href: '/verify' },
  { key: 'traceability' },
];

const AUDIENCES = ['province', 'commune', 'council', 'producer', 'consumer'];

export function HomePage(props: { page: PageContext }): Html {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('portal.home.title')} description={t('portal.home.description')}>
      <section class="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('portal.home.title')}</h1>
        <p class="lead">{t('portal.home.lead')}</p>
      </section>
      <section aria-labelledby="parts-title">
        <h2 id="parts-title">{t('portal.home.partsHeading')}</h2>
        <ul class="cards">
          {PARTS.map((part) => (
            <li class={part.href ? 'card' : 'card card-coming'}>
              <h3>
                {part.href ? (
                  <a href={part.href}>{t(`portal.part.${part.key}.title`)}</a>
                ) : (
                  t(`portal.part.${part.key}.title`)
                )}
              </h3>
              <p>{t(`portal.part.${part.key}.body`)}</p>
              <p class={part.href ? 'badge badge-ok' : 'badge'}>
                {t(part.href ? 'portal.home.available' : 'portal.home.coming')}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="audience-title">
        <h2 id="audience-title">{t('portal.home.audienceHeading')}</h2>
        <ul class="audience">
          {AUDIENCES.map((key) => (
            <li>{t(`portal.audience.${key}`)}</li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
