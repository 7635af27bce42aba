import { Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import type { User } from './identity.service.ts';

export function LoginPage(props: {
  page: PageContext;
  form: FormState;
  next: string;
  expired?: boolean;
}): Html {
  const { page, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('identity.login.title')}>
      <h1>{t('identity.login.title')}</h1>
      {props.expired ? <p class="notice">{t('identity.login.expired')}</p> : null}
      <form method="post" action="/login" class="form" novalidate>
        <CsrfField page={page} />
        <input type="hidden" name="next" value={props.next} />
        <FormMessage form={form} />
        <Field
          page={page}
          form={form}
          name="email"
          label={t('identity.login.email')}
          type="email"
          autocomplete="username"
          required
        />
        <Field
          page={page}
          form={form}
          name="password"
          label={t('identity.login.password')}
          type="password"
          autocomplete="current-password"
          keepValue={false}
          required
        />
        <p>
          <button type="submit">{t('identity.login.submit')}</button>
        </p>
      </form>
      <p>
        <a href="/password-reset">{t('identity.login.forgot')}</a>
      </p>
      <p>
        <a href="/register">{t('identity.login.register')}</a>
      </p>
    </Layout>
  );
}

export function AccountPage(props: {
  page: PageContext;
  user: User;
  scopeName: string | null;
  form: FormState;
  notice?: string | undefined;
  canAdminister: { users: boolean; audit: boolean; registrations: boolean };
}): Html {
  const { page, user, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('identity.account.title')}>
      <h1>{t('identity.account.title')}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <dl class="facts">
        <dt>{t('identity.users.name')}</dt>
        <dd>{user.name}</dd>
        <dt>{t('identity.users.email')}</dt>
        <dd>{user.email}</dd>
        <dt>{t('identity.account.role')}</dt>
        <dd data-testid="role">{t(`identity.role.${user.role}`)}</dd>
        {user.scopeCode ? (
          <>
            <dt>{t('identity.account.scope')}</dt>
            <dd data-testid="scope">
              <a href={`/admin-units/${user.scopeCode}`}>{props.scopeName ?? user.scopeCode}</a> (
              {user.scopeCode})
            </dd>
          </>
        ) : null}
      </dl>
      {props.canAdminister.users || props.canAdminister.audit || props.canAdminister.registrations ? (
        <nav aria-label={t('identity.account.admin')}>
          <h2>{t('identity.account.admin')}</h2>
          <ul>
            {props.canAdminister.users ? (
              <li>
                <a href="/admin/users">{t('identity.users.title')}</a>
              </li>
            ) : null}
            {props.canAdminister.registrations ? (
              <li>
                <a href="/admin/registrations">{t('identity.registrations.title')}</a>
              </li>
            ) : null}
            {props.canAdminister.audit ? (
              <li>
                <a href="/admin/audit">{t('identity.audit.title')}</a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      <p>
        <a href="/account/tokens">{t('identity.tokens.title')}</a>
      </p>
      <h2>{t('identity.account.changePassword')}</h2>
      <form method="post" action="/account/password" class="form" novalidate>
        <CsrfField page={page} />
        <FormMessage form={form} />
        <Field
          page={page}
          form={form}
          name="currentPassword"
          label={t('identity.account.currentPassword')}
          type="password"
          autocomplete="current-password"
          keepValue={false}
          required
        />
        <Field
          page={page}
          form={form}
          name="newPassword"
          label={t('identity.account.newPassword')}
          type="password"
          autocomplete="new-password"
          keepValue={false}
          required
        />
        <p>
          <button type="submit">{t('identity.account.changePassword')}</button>
        </p>
      </form>
      <form method="post" action="/account/logout-all">
        <CsrfField page={page} />
        <button type="submit" class="link-button">
          {t('identity.account.logoutAll')}
        </button>
      </form>
      <form method="post" action="/logout">
        <CsrfField page={page} />
        <p>
          <button type="submit" data-testid="logout">
            {t('identity.logout')}
          </button>
        </p>
      </form>
    </Layout>
  );
}

export function ResetRequestPage(props: { page: PageContext; form: FormState; sent?: boolean }): Html {
  const { page, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('identity.reset.title')}>
      <h1>{t('identity.reset.title')}</h1>
      {props.sent ? (
        <p class="notice" role="status">
          {t('identity.reset.sent')}
        </p>
      ) : (
        <form method="post" action="/password-reset" class="form" novalidate>
          <p>{t('identity.reset.intro')}</p>
          <CsrfField page={page} />
          <Field
            page={page}
            form={form}
            name="email"
            label={t('identity.users.email')}
            type="email"
            required
          />
          <p>
            <button type="submit">{t('identity.reset.submit')}</button>
          </p>
        </form>
      )}
    </Layout>
  );
}

export function ResetPage(props: {
  page: PageContext;
  form: FormState;
  token: string;
  state: 'form' | 'invalid' | 'done';
}): Html {
  const { page, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('identity.reset.set')}>
      <h1>{t('identity.reset.set')}</h1>
      {props.state === 'invalid' ? (
        <p class="alert" role="alert">
          {t('identity.reset.invalid')} <a href="/password-reset">{t('identity.reset.title')}</a>
        </p>
      ) : props.state === 'done' ? (
        <p class="notice" role="status">
          {t('identity.reset.done')} <a href="/login">{t('identity.login.title')}</a>
        </p>
      ) : (
        <form method="post" action={`/password-reset/${props.token}`} class="form" novalidate>
          <CsrfField page={page} />
          <FormMessage form={form} />
          <Field
            page={page}
            form={form}
            name="newPassword"
            label={t('identity.account.newPassword')}
            type="password"
            autocomplete="new-password"
            keepValue={false}
            required
          />
          <p>
            <button type="submit">{t('identity.reset.set')}</button>
          </p>
        </form>
      )}
    </Layout>
  );
}
