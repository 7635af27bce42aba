import { Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import type { Registration } from './identity.service.ts';

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
  /** Per commune: the producer records a sign-up can be linked to. */
  producerOptions: Map<string, { id: string; name: string }[]>;
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
              hint={t('identity.registrations.producerHint')}
              options={[
                { value: '', label: '—' },
                ...(props.producerOptions.get(registration.communeCode) ?? []).map((p) => ({
                  value: p.id,
                  label: p.name,
                })),
              ]}
              required
            />
            <p>
              <a href={`/producers/new?communeCode=${registration.communeCode}`}>
                {t('identity.registrations.newProducer')}
              </a>
            </p>
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
