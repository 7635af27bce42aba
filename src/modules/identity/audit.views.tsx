import type { AuditRecord } from '../../platform/audit.ts';
import type { OutboxMessage } from '../../platform/mail.ts';
import { Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { Layout, type PageContext } from '../../platform/views/layout.tsx';

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
