/** Identity use cases: users, sign-in, sessions, throttling, password change. */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import {
  emailTaken,
  forbidden,
  invalidScope,
  lastAdmin,
  loginFailed,
  tooManyAttempts,
  userNotFound,
  weakPassword,
  wrongPassword,
} from './errors.ts';
import {
  clearThrottle,
  countActiveAdmins,
  deleteSession,
  deleteUserSessions,
  findSession,
  findThrottles,
  findUserByEmail,
  findUserById,
  insertSession,
  insertUser,
  listUsers,
  recordFailure,
  touchSession,
  type UserRow,
  updateUser,
} from './identity.queries.ts';
import {
  hashPassword,
  needsRehash,
  OWASP_SCRYPT,
  randomPassword,
  type ScryptParams,
  verifyPassword,
} from './password.ts';
import { type IdentityAction, identityPolicy, ROLES, type Role, scopeLevel } from './policy.ts';
import { backoffSeconds, SESSION_LIMITS, sessionState } from './session-rules.ts';

export const BOOTSTRAP_ADMIN_EMAIL = 'admin@ocop.local';
export const MIN_PASSWORD_LENGTH = 10;

export interface User {
  id: string;
  email: string;
  phone: string | null;
  name: string;
  status: UserRow['status'];
  role: Role;
  scopeCode: string | null;
  producerId: string | null;
  createdAt: string;
}

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    name: row.name,
    status: row.status,
    role: row.role,
    scopeCode: row.scope_code,
    producerId: row.producer_id,
    createdAt: row.created_at.toISOString(),
  };
}

export interface NewUser {
  email: string;
  name: string;
  phone?: string | null | undefined;
  role: Role;
  scopeCode?: string | null | undefined;
  producerId?: string | null | undefined;
  password: string;
}

export interface SignedIn {
  /** The cookie value; only its hash is stored. */
  token: string;
  csrfToken: string;
  user: User;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');
const AUDIT_USER_FIELDS = (row: UserRow | undefined) =>
  row
    ? {
        email: row.email,
        name: row.name,
        phone: row.phone,
        status: row.status,
        role: row.role,
        scope_code: row.scope_code,
        producer_id: row.producer_id,
        password_hash: row.password_hash,
      }
    : null;

export function createIdentityService(
  db: Kysely<DB>,
  deps: { adminUnits: AdminUnitsService; passwordParams?: ScryptParams; now?: () => Date },
) {
  const params = deps.passwordParams ?? OWASP_SCRYPT;
  const now = deps.now ?? (() => new Date());
  // Verifying against this when the e-mail is unknown keeps both failures equally slow.
  const dummyHash = hashPassword(randomPassword(), params);

  /** The province a principal's scope lies in (a commune officer: its commune's province). */
  async function placeOf(principal: Principal | null): Promise<{ provinceCode: string | null }> {
    if (!principal?.scopeCode) return { provinceCode: null };
    if (principal.scopeCode.length === 2) return { provinceCode: principal.scopeCode };
    const unit = await deps.adminUnits.get('2025', principal.scopeCode).catch(() => undefined);
    return { provinceCode: unit?.provinceCode ?? null };
  }

  async function provinceOfScope(role: Role, scopeCode: string | null): Promise<string | null> {
    const level = scopeLevel(role);
    if (!level) return null;
    if (!scopeCode) throw invalidScope({ in: 'body', name: 'scopeCode', rule: 'required' });
    const unit = await deps.adminUnits.get('2025', scopeCode).catch(() => undefined);
    if (!unit || unit.level !== level)
      throw invalidScope({ in: 'body', name: 'scopeCode', rule: 'unknownUnit' });
    return unit.provinceCode;
  }

  async function can(principal: Principal | null, request: IdentityAction): Promise<boolean> {
    return identityPolicy(principal, request, await placeOf(principal));
  }

  async function authorize(principal: Principal | null, request: IdentityAction): Promise<void> {
    if (!(await can(principal, request))) throw forbidden();
  }

  function checkPassword(password: string, field: string) {
    if (password.length < MIN_PASSWORD_LENGTH) throw weakPassword(field);
  }

  return {
    can,
    authorize,
    placeOf,

    /**
     * Creates a user. `principal` null means the platform itself (bootstrap, CLI): no policy
     * check. The write and its audit record commit together.
     */
    async createUser(context: AuditContext, principal: Principal | null, input: NewUser): Promise<User> {
      if (!(ROLES as readonly string[]).includes(input.role)) {
        throw invalidScope({ in: 'body', name: 'role', rule: 'enum' });
      }
      const scopeCode = scopeLevel(input.role) ? (input.scopeCode ?? null) : null;
      const provinceCode = await provinceOfScope(input.role, scopeCode);
      if (principal)
        await authorize(principal, { action: 'user.create', target: { role: input.role, provinceCode } });
      checkPassword(input.password, 'password');
      const email = input.email.trim().toLowerCase();
      const password_hash = await hashPassword(input.password, params);
      return db.transaction().execute(async (trx) => {
        if (await findUserByEmail(trx, email)) throw emailTaken();
        const row = await insertUser(trx, {
          email,
          name: input.name.trim(),
          phone: input.phone || null,
          status: 'active',
          role: input.role,
          scope_code: scopeCode,
          producer_id: input.producerId ?? null,
          password_hash,
        });
        await audit(trx, context, {
          action: 'user.create',
          entityType: 'user',
          entityId: row.id,
          after: AUDIT_USER_FIELDS(row),
        });
        return presentUser(row);
      });
    },

    /** On a database without an active administrator: create one with a random password. */
    async bootstrapAdmin(): Promise<{ email: string; password: string } | null> {
      if ((await countActiveAdmins(db)) > 0) return null;
      const password = randomPassword();
      const existing = await findUserByEmail(db, BOOTSTRAP_ADMIN_EMAIL);
      const system: AuditContext = { actor: { type: 'system', label: 'bootstrap' } };
      if (existing) {
        const password_hash = await hashPassword(password, params);
        await db.transaction().execute(async (trx) => {
          const row = await updateUser(trx, existing.id, {
            status: 'active',
            role: 'admin',
            scope_code: null,
            password_hash,
          });
          await audit(trx, system, {
            action: 'user.bootstrap',
            entityType: 'user',
            entityId: row.id,
            before: AUDIT_USER_FIELDS(existing),
            after: AUDIT_USER_FIELDS(row),
          });
        });
      } else {
        await this.createUser(system, null, {
          email: BOOTSTRAP_ADMIN_EMAIL,
          name: 'Quản trị hệ thống',
          role: 'admin',
          password,
        });
      }
      return { email: BOOTSTRAP_ADMIN_EMAIL, password };
    },

    async listUsers(principal: Principal | null): Promise<User[]> {
      await authorize(principal, { action: 'user.list' });
      if (principal!.role === 'admin') return (await listUsers(db, {})).map(presentUser);
      const provinceCode = principal!.scopeCode!;
      const communes = await deps.adminUnits.list({
        era: '2025',
        level: 'commune',
        parent: provinceCode,
        limit: 10000,
        offset: 0,
      });
      const rows = await listUsers(db, {
        provinceCode,
        communeCodes: communes.items.map((c) => c.code),
        includeUnscoped: true,
      });
      return rows.map(presentUser);
    },

    async getUser(principal: Principal | null, id: string): Promise<User> {
      const row = await findUserById(db, id);
      // Existence itself is private: someone who may not read the user gets 404 too.
      if (!row) throw userNotFound();
      const target = {
        role: row.role,
        provinceCode: await provinceOfScope(row.role, row.scope_code).catch(() => null),
      };
      if (principal?.userId !== id && !(await can(principal, { action: 'user.read', target })))
        throw userNotFound();
      return presentUser(row);
    },

    /** Enable or disable an account; disabling ends its sessions. */
    async setStatus(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      status: 'active' | 'disabled',
    ): Promise<User> {
      const row = await findUserById(db, id);
      if (!row) throw userNotFound();
      const target = {
        role: row.role,
        provinceCode: await provinceOfScope(row.role, row.scope_code).catch(() => null),
      };
      if (!(await can(principal, { action: 'user.update', target }))) throw userNotFound();
      if (row.role === 'admin' && status === 'disabled' && (await countActiveAdmins(db)) <= 1)
        throw lastAdmin();
      return db.transaction().execute(async (trx) => {
        const updated = await updateUser(trx, id, { status });
        if (status === 'disabled') await deleteUserSessions(trx, id);
        await audit(trx, context, {
          action: 'user.update',
          entityType: 'user',
          entityId: id,
          before: AUDIT_USER_FIELDS(row),
          after: AUDIT_USER_FIELDS(updated),
        });
        return presentUser(updated);
      });
    },

    /**
     * Signs in with e-mail and password. Failures are counted per account and per address; past
     * the limits the caller waits (429 with Retry-After), doubling each time.
     */
    async login(context: AuditContext, input: { email: string; password: string }): Promise<SignedIn> {
      const email = input.email.trim().toLowerCase();
      const keys = [`email:${email}`, `ip:${context.ip ?? 'unknown'}`];
      const current = now();
      const blocked = (await findThrottles(db, keys))
        .map((t) => (t.blocked_until ? Math.ceil((t.blocked_until.getTime() - current.getTime()) / 1000) : 0))
        .reduce((a, b) => Math.max(a, b), 0);
      if (blocked > 0) throw tooManyAttempts(blocked);

      const user = await findUserByEmail(db, email);
      const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash));
      if (!user || !ok || user.status !== 'active') {
        await db.transaction().execute(async (trx) => {
          for (const key of keys) {
            await recordFailure(trx, key, (failures) => {
              const seconds = backoffSeconds(key.startsWith('ip:') ? 'ip' : 'account', failures);
              return seconds > 0 ? new Date(current.getTime() + seconds * 1000) : null;
            });
          }
          await audit(
            trx,
            { ...context, actor: { type: 'anonymous', label: email } },
            {
              action: 'session.login_failed',
              entityType: 'user',
              entityId: user?.id ?? null,
            },
          );
        });
        throw loginFailed();
      }
      const token = newSecret();
      const csrfToken = newSecret();
      await db.transaction().execute(async (trx) => {
        await clearThrottle(trx, keys[0]!);
        if (needsRehash(user.password_hash!, params)) {
          await updateUser(trx, user.id, { password_hash: await hashPassword(input.password, params) });
        }
        await insertSession(trx, {
          id: sha256(token),
          user_id: user.id,
          csrf_token: csrfToken,
          expires_at: new Date(current.getTime() + SESSION_LIMITS.absoluteMs),
          ip: context.ip ?? null,
          user_agent: null,
        });
        await audit(
          trx,
          { ...context, actor: { type: 'user', id: user.id, label: user.email } },
          {
            action: 'session.login',
            entityType: 'user',
            entityId: user.id,
          },
        );
      });
      return { token, csrfToken, user: presentUser(user) };
    },

    /** The principal behind a session cookie, or null when it is unknown, idle too long or expired. */
    async authenticateSession(token: string): Promise<Principal | null> {
      const id = sha256(token);
      const row = await findSession(db, id);
      if (!row) return null;
      const state = sessionState({ lastSeenAt: row.last_seen_at, expiresAt: row.expires_at }, now());
      if (state !== 'active' || row.status !== 'active') {
        await deleteSession(db, id);
        return null;
      }
      if (now().getTime() - row.last_seen_at.getTime() > SESSION_LIMITS.touchEveryMs)
        await touchSession(db, id);
      return {
        userId: row.user_id,
        email: row.email,
        name: row.name,
        role: row.role,
        scopeCode: row.scope_code,
        producerId: row.producer_id,
        via: 'session',
        csrfToken: row.csrf_token,
      };
    },

    async logout(context: AuditContext, token: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await deleteSession(trx, sha256(token));
        await audit(trx, context, {
          action: 'session.logout',
          entityType: 'user',
          entityId: context.actor.id ?? null,
        });
      });
    },

    /** Ends every session of the user but the current one. */
    async logoutEverywhere(
      context: AuditContext,
      principal: Principal,
      currentToken: string,
    ): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const ended = await deleteUserSessions(trx, principal.userId, sha256(currentToken));
        await audit(trx, context, {
          action: 'session.logout_all',
          entityType: 'user',
          entityId: principal.userId,
          after: { sessions_ended: ended },
        });
        return ended;
      });
    },

    async changePassword(
      context: AuditContext,
      principal: Principal,
      input: { currentPassword: string; newPassword: string },
      currentToken?: string,
    ): Promise<void> {
      const user = await findUserById(db, principal.userId);
      if (!user?.password_hash || !(await verifyPassword(input.currentPassword, user.password_hash)))
        throw wrongPassword();
      checkPassword(input.newPassword, 'newPassword');
      const password_hash = await hashPassword(input.newPassword, params);
      await db.transaction().execute(async (trx) => {
        const updated = await updateUser(trx, user.id, { password_hash });
        // Other sessions may belong to whoever knew the old password.
        await deleteUserSessions(trx, user.id, currentToken ? sha256(currentToken) : undefined);
        await audit(trx, context, {
          action: 'user.change_password',
          entityType: 'user',
          entityId: user.id,
          before: AUDIT_USER_FIELDS(user),
          after: AUDIT_USER_FIELDS(updated),
        });
      });
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
