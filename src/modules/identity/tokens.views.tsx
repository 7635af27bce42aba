import { Field, type FormState } from '../../platform/views/form.tsx';
import { Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import type { ApiToken } from './identity.service.ts';

export function TokensPage(props: {
  page: PageContext;
  tokens: ApiToken[];
  form: FormState;
  created?: string | undefined;
}): Html {
  const { page, form } = props;
  const { t } = page;
  const when = (iso: string | null) =>
    iso
      ? new Date(iso).toLocaleString(page.locale === 'vi' ? 'vi-VN' : 'en-GB', {
          timeZone: 'Asia/Ho_Chi_Minh',
        })
      : t('identity.tokens.never');
  return (
    <Layout page={page} title={t('identity.tokens.title')}>
      <h1>{t('identity.tokens.title')}</h1>
      <p class="lead">{t('identity.tokens.intro')}</p>
      {props.created ? (
        <div class="notice" role="status">
          <p>{t('identity.tokens.created')}</p>
          <p>
            <code data-testid="new-token">{props.created}</code>
          </p>
        </div>
      ) : null}
      {props.tokens.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('identity.tokens.name')}</th>
                <th scope="col">{t('identity.tokens.createdAt')}</th>
                <th scope="col">{t('identity.tokens.lastUsed')}</th>
                <th scope="col">{t('identity.users.status')}</th>
              </tr>
            </thead>
            <tbody>
              {props.tokens.map((token) => (
                <tr>
                  <td>{token.name}</td>
                  <td>{when(token.createdAt)}</td>
                  <td>{when(token.lastUsedAt)}</td>
                  <td>
                    {token.revokedAt ? (
                      t('identity.tokens.revoked')
                    ) : (
                      <form method="post" action={`/account/tokens/${token.id}/revoke`} class="inline-form">
                        <CsrfField page={page} />
                        <button type="submit" class="link-button">
                          {t('identity.tokens.revoke')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <h2>{t('identity.tokens.create')}</h2>
      <form method="post" action="/account/tokens" class="form" novalidate>
        <CsrfField page={page} />
        <Field page={page} form={form} name="name" label={t('identity.tokens.name')} required />
        <p>
          <button type="submit">{t('identity.tokens.create')}</button>
        </p>
      </form>
    </Layout>
  );
}
