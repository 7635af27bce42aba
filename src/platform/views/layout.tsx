import type { Locale, Translate } from '../i18n/index.ts';
import { assetUrl } from './assets.ts';
import { type Child, type Html, h } from './jsx.ts';

/** What every page needs to know about the request it answers. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** Path and query of the current request, for the language switch. */
  url: string;
  /** The main navigation, decided by the composition root. */
  nav: NavItem[];
  /** The signed-in user, for the header; null for the public. */
  user: { name: string } | null;
  /** The CSRF token to put in this page's forms (created on first use). */
  csrf: () => string;
}

export interface NavItem {
  href: string;
  /** Message key of the link text. */
  label: string;
}

/** The same URL with `lang` set to the other language. */
export function switchLanguageUrl(url: string, to: Locale): string {
  const parsed = new URL(url, 'http://x');
  parsed.searchParams.set('lang', to);
  return `${parsed.pathname}${parsed.search}`;
}

function isCurrent(url: string, href: string): boolean {
  const pathname = url.split('?')[0] ?? '';
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/** The hidden field every form needs (see platform/http/csrf.ts). */
export function CsrfField(props: { page: PageContext }): Html {
  return <input type="hidden" name="_csrf" value={props.page.csrf()} />;
}

export function Layout(props: {
  page: PageContext;
  title: string;
  description?: string;
  children?: Child;
}): Html {
  const { page } = props;
  const { t } = page;
  const other: Locale = page.locale === 'vi' ? 'en' : 'vi';
  return (
    <html lang={page.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t('app.name')}`}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <link rel="stylesheet" href={assetUrl('app.css')} />
        <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('layout.skipToContent')}
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            <span class="brand-mark" aria-hidden="true">
              OCOP
            </span>
            <span class="brand-text">
              <strong>{t('app.name')}</strong>
              <small>{t('app.tagline')}</small>
            </span>
          </a>
          <nav aria-label={t('layout.mainNav')}>
            <ul>
              {page.nav.map((item) => (
                <li>
                  <a href={item.href} aria-current={isCurrent(page.url, item.href) ? 'page' : undefined}>
                    {t(item.label)}
                  </a>
                </li>
              ))}
              <li>
                {page.user ? (
                  <a href="/account" data-testid="account-link">
                    {page.user.name}
                  </a>
                ) : (
                  <a href="/login" data-testid="login-link">
                    {t('layout.signIn')}
                  </a>
                )}
              </li>
              <li>
                <a
                  href={switchLanguageUrl(page.url, other)}
                  hreflang={other}
                  lang={other}
                  data-testid="lang-switch"
                >
                  {t('layout.switchLanguage')}
                </a>
              </li>
            </ul>
          </nav>
        </header>
        <main id="main" tabindex="-1">
          {props.children}
        </main>
        <footer class="site-footer">
          <p>{t('layout.footer', { source: 'thanglequoc/vietnamese-provinces-database, dvhcvn (MIT)' })}</p>
        </footer>
      </body>
    </html>
  );
}
