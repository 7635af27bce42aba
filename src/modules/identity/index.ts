/**
 * Module identity: users, roles and scopes, sessions, sign-in throttling, the audit viewer.
 * Other modules get the principal from `request.principal` and decide with their own policy.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/auth.ts';
import type { Database } from '../../platform/db/database.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { invalidToken } from './errors.ts';
import type { IdentityRouteDeps } from './identity.http.ts';
import { registerIdentityRoutes, SESSION_COOKIE } from './identity.routes.ts';
import { createIdentityService } from './identity.service.ts';
import type { ScryptParams } from './password.ts';

export { identityMessages } from './identity.messages.ts';
export { BOOTSTRAP_ADMIN_EMAIL, type IdentityService, type NewUser, type User } from './identity.service.ts';
export type { ScryptParams } from './password.ts';
export { ROLES, type Role } from './policy.ts';

export function createIdentityModule(
  database: Database,
  deps: {
    adminUnits: AdminUnitsService;
    publicUrl: URL;
    passwordParams?: ScryptParams;
    producerCommune?: (producerId: string) => Promise<string | null>;
  },
) {
  const service = createIdentityService(database.db, {
    adminUnits: deps.adminUnits,
    ...(deps.producerCommune ? { producerCommune: deps.producerCommune } : {}),
    ...(deps.passwordParams ? { passwordParams: deps.passwordParams } : {}),
  });
  return {
    service,
    /** Finds who is asking: an API token (Authorization: Bearer …), else the session cookie. */
    async authenticate(request: FastifyRequest): Promise<Principal | null> {
      const header = request.headers.authorization;
      if (header) {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        const principal = match ? await service.authenticateToken(match[1]!) : null;
        if (!principal) throw invalidToken();
        return principal;
      }
      const token = request.cookies[SESSION_COOKIE];
      return token ? service.authenticateSession(token) : null;
    },
    registerRoutes: (app: HttpServer, extras: Pick<IdentityRouteDeps, 'producersOf'> = {}) =>
      registerIdentityRoutes(app, {
        ...extras,
        identity: service,
        adminUnits: deps.adminUnits,
        db: database.db,
        secure: deps.publicUrl.protocol === 'https:',
        publicUrl: deps.publicUrl,
      }),
  };
}
