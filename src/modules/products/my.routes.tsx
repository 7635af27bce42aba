/** `/my`: a producer's own page (its record, products, dossiers); officers land on their inbox. */
import type { HttpServer } from '../../platform/http/server.ts';
import { sendPage } from '../../platform/http/server.ts';
import { h, renderDocument } from '../../platform/views/jsx.ts';
import { Layout } from '../../platform/views/layout.tsx';
import { Countdown } from './dossiers.views.tsx';
import { signInRequired } from './errors.ts';
import type { ProductsRouteDeps } from './products.http.ts';
import { Stars } from './products.views.tsx';

export function registerMyRoutes(app: HttpServer, deps: ProductsRouteDeps) {
  app.get('/my', { schema: { hide: true } }, async (request, reply) => {
    const principal = request.principal;
    if (!principal) throw signInRequired();
    if (principal.role !== 'producer' || !principal.producerId) return reply.redirect('/dossiers', 303);
    const producer = await deps.producers.get(principal, principal.producerId);
    const [products, dossiers] = await Promise.all([
      deps.products.list(principal, { producerId: producer.id, limit: 200 }),
      deps.dossiers.list(principal, { limit: 50 }),
    ]);
    const names = new Map(products.items.map((p) => [p.id, p.name]));
    const { t } = request;
    return sendPage(
      reply,
      renderDocument(
        <Layout page={request.page} title={t('my.title')}>
          <p class="eyebrow">{t('my.title')}</p>
          <h1>{producer.legalName}</h1>
          <p class="actions">
            <a href={`/producers/${producer.id}`}>{t('my.producer')}</a>
            <a href={`/producers/${producer.id}/edit`}>{t('producers.edit')}</a>
            <a href={`/products/new?producerId=${producer.id}`}>{t('producers.newProduct')}</a>
          </p>
          <h2>{t('my.products')}</h2>
          {products.items.length === 0 ? (
            <p>{t('producers.noProducts')}</p>
          ) : (
            <ul>
              {products.items.map((p) => (
                <li>
                  <a href={`/products/${p.id}`}>{p.name}</a> <Stars page={request.page} stars={p.stars} />
                </li>
              ))}
            </ul>
          )}
          <h2>{t('my.dossiers')}</h2>
          {dossiers.items.length === 0 ? (
            <p>{t('dossiers.none')}</p>
          ) : (
            <ul>
              {dossiers.items.map((d) => (
                <li>
                  <a href={`/dossiers/${d.id}`}>{names.get(d.productId) ?? t('dossiers.one')}</a> ·{' '}
                  {t(`dossiers.kind.${d.kind}`)} · <strong>{t(`dossiers.status.${d.status}`)}</strong>{' '}
                  <Countdown page={request.page} dossier={d} />
                </li>
              ))}
            </ul>
          )}
        </Layout>,
      ),
    );
  });
}
