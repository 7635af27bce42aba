import { LruCache } from '../../platform/cache.ts';
import { type HttpServer, sendPage } from '../../platform/http/server.ts';
import { renderDocument } from '../../platform/views/jsx.ts';
import { HomePage } from './portal.views.tsx';

export function registerPortalRoutes(app: HttpServer) {
  // The home page depends only on the language, the URL (language switch) and who is signed in.
  const rendered = new LruCache<string>(200, 10 * 60 * 1000);
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const key = `${request.locale} ${request.principal?.userId ?? '-'} ${request.url}`;
    let html = rendered.get(key);
    if (html === undefined) {
      html = renderDocument(HomePage({ page: request.page }));
      rendered.set(key, html);
    }
    return sendPage(reply, html);
  });
}
