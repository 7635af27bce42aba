import { type HttpServer, sendPage } from '../../platform/http/server.ts';
import { renderDocument } from '../../platform/views/jsx.ts';
import { HomePage } from './portal.views.tsx';

export function registerPortalRoutes(app: HttpServer) {
  app.get('/', { schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, renderDocument(HomePage({ page: request.page }))),
  );
}
