import { Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import type { User } from './identity.service.ts';

export function UsersPage(props: {
  page: PageContext;
  users: User[];
  form: FormState;
  notice?: string | undefined;
  roles: readonly string[];
}): Html {
  const { page, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('identity.users.title')}>
      <h1>{t('identity.users.title')}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('identity.users.name')}</th>
              <th scope="col">{t('identity.users.email')}</th>
              <th scope="col">{t('identity.users.role')}</th>
              <th scope="col">{t('identity.account.scope')}</th>
              <th scope="col">{t('identity.users.status')}</th>
            </tr>
          </thead>
          <tbody>
            {props.users.map((user) => (
              <tr>
                <td>
                  <a href={`/admin/users/${user.id}`}>{user.name}</a>
                </td>
                <td>{user.email}</td>
                <td>{t(`identity.role.${user.role}`)}</td>
                <td>{user.scopeCode ?? ''}</td>
                <td>
                  {t(`identity.status.${user.status}`)}{' '}
                  {user.status === 'pending' ? null : (
                    <form method="post" action={`/admin/users/${user.id}/status`} class="inline-form">
                      <CsrfField page={page} />
                      <input
                        type="hidden"
                        name="status"
                        value={user.status === 'active' ? 'disabled' : 'active'}
                      />
                      <button type="submit" class="link-button">
                        {t(user.status === 'active' ? 'identity.users.disable' : 'identity.users.enable')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('identity.users.create')}</h2>
      <form method="post" action="/admin/users" class="form" novalidate>
        <CsrfField page={page} />
        <FormMessage form={form} />
        <Field page={page} form={form} name="name" label={t('identity.users.name')} required />
        <Field page={page} form={form} name="email" label={t('identity.users.email')} type="email" required />
        <Field page={page} form={form} name="phone" label={t('identity.users.phone')} type="tel" />
        <Field
          page={page}
          form={form}
          name="role"
          label={t('identity.users.role')}
          options={props.roles.map((role) => ({ value: role, label: t(`identity.role.${role}`) }))}
        />
        <Field page={page} form={form} name="scopeCode" label={t('identity.users.scope')} />
        <Field
          page={page}
          form={form}
          name="password"
          label={t('identity.users.password')}
          type="password"
          autocomplete="new-password"
          keepValue={false}
          required
        />
        <p>
          <button type="submit">{t('identity.users.create')}</button>
        </p>
      </form>
    </Layout>
  );
}

export function UserPage(props: {
  page: PageContext;
  user: User;
  form: FormState;
  roles: readonly string[];
}): Html {
  const { page, form, user } = props;
  const { t } = page;
  return (
    <Layout page={page} title={user.name}>
      <p class="eyebrow">{t('identity.users.title')}</p>
      <h1>{user.name}</h1>
      <p>
        {user.email} · {t(`identity.status.${user.status}`)}
      </p>
      <form method="post" action={`/admin/users/${user.id}`} class="form" novalidate>
        <CsrfField page={page} />
        <FormMessage form={form} />
        <Field page={page} form={form} name="name" label={t('identity.users.name')} required />
        <Field page={page} form={form} name="phone" label={t('identity.users.phone')} type="tel" />
        <Field
          page={page}
          form={form}
          name="role"
          label={t('identity.users.role')}
          options={props.roles.map((role) => ({ value: role, label: t(`identity.role.${role}`) }))}
        />
        <Field page={page} form={form} name="scopeCode" label={t('identity.users.scope')} />
        <p>
          <button type="submit">{t('identity.users.save')}</button>
        </p>
      </form>
    </Layout>
  );
}
