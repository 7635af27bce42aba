import type { AuditRecord } from '../../platform/audit.ts';
import type { OutboxMessage } from '../../platform/mail.ts';
import { Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import type { ApiToken, Registration, User } from './identity.service.ts';

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

export function RegisterPage(props: { page: PageContext; form: FormState; done?: string | undefined }): Html {
  const { page, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('identity.register.title')}>
      <h1>{t('identity.register.title')}</h1>
      {props.done ? (
        <p class="notice" role="status">
          {t('identity.register.done', { producer: props.done })}
        </p>
      ) : (
        <>
          <p class="lead">{t('identity.register.intro')}</p>
          <form method="post" action="/register" class="form" novalidate>
            <CsrfField page={page} />
            <FormMessage form={form} />
            <Field
              page={page}
              form={form}
              name="name"
              label={t('identity.register.name')}
              required
              autocomplete="name"
            />
            <Field
              page={page}
              form={form}
              name="email"
              label={t('identity.users.email')}
              type="email"
              required
              autocomplete="email"
            />
            <Field
              page={page}
              form={form}
              name="phone"
              label={t('identity.users.phone')}
              type="tel"
              autocomplete="tel"
            />
            <Field
              page={page}
              form={form}
              name="producerName"
              label={t('identity.register.producerName')}
              required
            />
            <Field
              page={page}
              form={form}
              name="communeCode"
              label={t('identity.register.communeCode')}
              required
            />
            <p class="muted">
              <a href="/admin-units" target="_blank" rel="noopener">
                {t('identity.register.findCode')}
              </a>
            </p>
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
              <button type="submit">{t('identity.register.submit')}</button>
            </p>
          </form>
        </>
      )}
    </Layout>
  );
}

export function RegistrationsPage(props: {
  page: PageContext;
  registrations: Registration[];
  form: FormState;
}): Html {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('identity.registrations.title')}>
      <h1>{t('identity.registrations.title')}</h1>
      <FormMessage form={props.form} />
      {props.registrations.length === 0 ? <p>{t('identity.registrations.none')}</p> : null}
      {props.registrations.map((registration) => (
        <section class="card" data-testid="registration">
          <h2>{registration.producerName}</h2>
          <dl class="facts">
            <dt>{t('identity.register.name')}</dt>
            <dd>{registration.name}</dd>
            <dt>{t('identity.users.email')}</dt>
            <dd>{registration.email}</dd>
            <dt>{t('identity.registrations.commune')}</dt>
            <dd>
              <a href={`/admin-units/${registration.communeCode}`}>{registration.communeCode}</a>
            </dd>
          </dl>
          <form method="post" action={`/admin/registrations/${registration.userId}`} class="form">
            <CsrfField page={page} />
            <input type="hidden" name="decision" value="approved" />
            <Field
              page={page}
              form={
                props.form.values.userId === registration.userId ? props.form : { values: {}, errors: [] }
              }
              name="producerId"
              label={t('identity.registrations.producerId')}
              required
            />
            <p>
              <button type="submit">{t('identity.registrations.approve')}</button>
            </p>
          </form>
          <form method="post" action={`/admin/registrations/${registration.userId}`}>
            <CsrfField page={page} />
            <input type="hidden" name="decision" value="rejected" />
            <button type="submit" class="link-button">
              {t('identity.registrations.reject')}
            </button>
          </form>
        </section>
      ))}
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

export function OutboxPage(props: { page: PageContext; messages: OutboxMessage[] }): Html {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('identity.outbox.title')}>
      <h1>{t('identity.outbox.title')}</h1>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('identity.audit.time')}</th>
              <th scope="col">{t('identity.outbox.to')}</th>
              <th scope="col">{t('identity.outbox.subject')}</th>
              <th scope="col">{t('identity.outbox.state')}</th>
            </tr>
          </thead>
          <tbody>
            {props.messages.map((message) => (
              <tr>
                <td>
                  {new Date(message.createdAt).toLocaleString(page.locale === 'vi' ? 'vi-VN' : 'en-GB', {
                    timeZone: 'Asia/Ho_Chi_Minh',
                  })}
                </td>
                <td>{message.to}</td>
                <td>
                  <details>
                    <summary>{message.subject}</summary>
                    <pre class="diff">{message.text}</pre>
                  </details>
                </td>
                <td>
                  {message.sentAt ? t('identity.outbox.sent') : t('identity.outbox.waiting')}
                  {message.lastError ? <span class="error"> ({message.lastError})</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
