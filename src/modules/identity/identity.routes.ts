import type { HttpServer } from '../../platform/http/server.ts';
import { registerAuditRoutes } from './audit.routes.ts';
import type { IdentityRouteDeps } from './identity.http.ts';
import { UserSchema } from './identity.schemas.ts';
import { registerRegistrationRoutes } from './registrations.routes.ts';
import { registerSessionRoutes } from './sessions.routes.ts';
import { registerTokenRoutes } from './tokens.routes.ts';
import { registerUserRoutes } from './users.routes.ts';

export { SESSION_COOKIE } from './identity.http.ts';

/** Every route of the identity module, by use case (one file each). */
export function registerIdentityRoutes(app: HttpServer, deps: IdentityRouteDeps) {
  app.addSchema(UserSchema);
  registerSessionRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerRegistrationRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerAuditRoutes(app, deps);
}
