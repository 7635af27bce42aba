import { type Html, h } from '../views/jsx.ts';
import { Layout, type PageContext } from '../views/layout.tsx';

/** The HTML page for an error status, in the request's language. */
export function ErrorPage(props: { page: PageContext; status: number; requestId: string }): Html {
  const { t } = props.page;
  const notFound = props.status === 404 || props.status === 405;
  const heading = t(notFound ? 'errors.notFoundPage.heading' : 'errors.serverPage.heading');
  return (
    <Layout page={props.page} title={heading}>
      <section class="error-page" aria-labelledby="error-heading">
        <p class="error-status">{String(props.status)}</p>
        <h1 id="error-heading">{heading}</h1>
        <p>{t(notFound ? 'errors.notFoundPage.body' : 'errors.serverPage.body')}</p>
        <p>
          <a class="button" href="/">
            {t('errors.backHome')}
          </a>
        </p>
        {notFound ? null : <p class="muted">{t('errors.requestId', { id: props.requestId })}</p>}
      </section>
    </Layout>
  );
}
