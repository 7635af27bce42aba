/** Module portal: the public home page (later: news, guides, training). */
import type { HttpServer } from '../../platform/http/server.ts';
import { registerPortalRoutes } from './portal.routes.ts';

export { portalMessages } from './portal.messages.ts';

export function createPortalModule() {
  return {
    nav: [{ href: '/', label: 'layout.home' }],
    registerRoutes: (app: HttpServer) => registerPortalRoutes(app),
  };
}
