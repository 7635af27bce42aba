import { type Html, h } from '../views/jsx.ts';
import { Layout, type PageContext } from '../views/layout.tsx';

/** Which heading and text an error status shows. */
function messagesFor(status: number): { heading: string; body: string } {
  if (status === 404) return { heading: 'errors.notFoundPage.heading', body: 'errors.notFoundPage.body' };
  if (status === 405) return { heading: 'errors.methodPage.heading', body: 'errors.methodPage.body' };
  if (status === 401 || status === 403) {
    return { heading: 'errors.forbiddenPage.heading', body: 'errors.forbiddenPage.body' };
  }
  if (status === 429) return { heading: 'errors.tooManyPage.heading', body: 'errors.tooManyPage.body' };
  if (status >= 400 && status < 500) {
    return { heading: 'errors.badRequestPage.heading', body: 'errors.badRequestPage.body' };
  }
  return { heading: 'errors.serverPage.heading', body: 'errors.serverPage.body' };
}

/** The HTML page for an error status, in the request's language. */
export function ErrorPage(props: {
  page: PageContext;
  status: number;
  requestId: string;
  detail?: string;
}): Html {
  const { t } = props.page;
  const messages = messagesFor(props.status);
  const heading = t(messages.heading);
  return (
    <Layout page={props.page} title={heading}>
      <section class="error-page" aria-labelledby="error-heading">
        <p class="error-status">{String(props.status)}</p>
        <h1 id="error-heading">{heading}</h1>
        <p>{props.detail ?? t(messages.body)}</p>
        <p>
          <a class="button" href="/">
            {t('errors.backHome')}
          </a>
        </p>
        {props.status >= 500 ? <p class="muted">{t('errors.requestId', { id: props.requestId })}</p> : null}
      </section>
    </Layout>
  );
}
