import type { AuditRecord } from '../../platform/audit.ts';
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
    </Layout>
  );
}

export function AccountPage(props: {
  page: PageContext;
  user: User;
  scopeName: string | null;
  form: FormState;
  notice?: string | undefined;
  canAdminister: { users: boolean; audit: boolean };
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
      {props.canAdminister.users || props.canAdminister.audit ? (
        <nav aria-label={t('identity.account.admin')}>
          <h2>{t('identity.account.admin')}</h2>
          <ul>
            {props.canAdminister.users ? (
              <li>
                <a href="/admin/users">{t('identity.users.title')}</a>
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
                <td>{user.name}</td>
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

export function AuditPage(props: {
  page: PageContext;
  filter: Record<string, string>;
  result: { items: AuditRecord[]; total: number };
}): Html {
  const { page, filter, result } = props;
  const { t } = page;
  const input = (name: string, label: string, type = 'text') => (
    <div class="field">
      <label for={`a-${name}`}>{label}</label>
      <input id={`a-${name}`} name={name} type={type} value={filter[name] ?? ''} />
    </div>
  );
  return (
    <Layout page={page} title={t('identity.audit.title')}>
      <h1>{t('identity.audit.title')}</h1>
      <form method="get" action="/admin/audit" class="form">
        {input('entityType', t('identity.audit.entityType'))}
        {input('entityId', t('identity.audit.entityId'))}
        {input('actorId', t('identity.audit.actorId'))}
        {input('from', t('identity.audit.from'), 'date')}
        {input('to', t('identity.audit.to'), 'date')}
        <p>
          <button type="submit">{t('identity.audit.filter')}</button>
        </p>
      </form>
      <p role="status">{t('identity.audit.count', { count: result.total })}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('identity.audit.time')}</th>
              <th scope="col">{t('identity.audit.actor')}</th>
              <th scope="col">{t('identity.audit.action')}</th>
              <th scope="col">{t('identity.audit.entity')}</th>
              <th scope="col">{t('identity.audit.changes')}</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((record) => (
              <tr>
                <td>
                  <time datetime={record.occurredAt}>
                    {new Date(record.occurredAt).toLocaleString(page.locale === 'vi' ? 'vi-VN' : 'en-GB', {
                      timeZone: 'Asia/Ho_Chi_Minh',
                    })}
                  </time>
                </td>
                <td>{record.actor.label ?? record.actor.type}</td>
                <td>
                  <code>{record.action}</code>
                </td>
                <td>
                  {record.entityType} {record.entityId ? <code>{record.entityId}</code> : null}
                </td>
                <td>
                  <pre class="diff">
                    {Object.entries(record.diff)
                      .map(
                        ([field, [before, after]]) =>
                          `${field}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`,
                      )
                      .join('\n')}
                  </pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
