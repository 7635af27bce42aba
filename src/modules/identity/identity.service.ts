/** Identity use cases: users, sign-in, sessions, throttling, password change. */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import { enqueueMail } from '../../platform/mail.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import {
  emailTaken,
  forbidden,
  invalidScope,
  lastAdmin,
  loginFailed,
  registrationDecided,
  registrationNotFound,
  resetInvalid,
  tokenNotFound,
  tooManyAttempts,
  userNotFound,
  weakPassword,
  wrongPassword,
} from './errors.ts';
import {
  clearThrottle,
  countActiveAdmins,
  decideRegistration,
  deleteSession,
  deleteUserSessions,
  findContacts,
  findRegistration,
  findSession,
  findThrottles,
  findToken,
  findTokenByHash,
  findUsablePasswordReset,
  findUserByEmail,
  findUserById,
  insertPasswordReset,
  insertRegistration,
  insertSession,
  insertToken,
  insertUser,
  listPendingRegistrations,
  listTokens,
  listUsers,
  type RegistrationRow,
  recordFailure,
  revokeToken,
  takePasswordReset,
  touchSession,
  touchToken,
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
const RESET_VALID_MS = 60 * 60 * 1000;

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

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const presentToken = (row: {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiToken => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

/** API tokens look like ocop_<43 characters>; only their SHA-256 is stored. */
export const TOKEN_PREFIX = 'ocop_';

export interface Registration {
  userId: string;
  name: string;
  email: string;
  phone: string | null;
  producerName: string;
  communeCode: string;
  provinceCode: string;
  createdAt: string;
}

const presentRegistration = (row: RegistrationRow): Registration => ({
  userId: row.user_id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  producerName: row.producer_name,
  communeCode: row.commune_code,
  provinceCode: row.province_code,
  createdAt: row.created_at.toISOString(),
});

export interface NewRegistration {
  name: string;
  email: string;
  phone?: string | null | undefined;
  password: string;
  producerName: string;
  communeCode: string;
}

export interface UserChanges {
  status?: 'active' | 'disabled' | undefined;
  name?: string | undefined;
  phone?: string | null | undefined;
  role?: Role | undefined;
  scopeCode?: string | null | undefined;
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

/** Another request took this e-mail between the check and the insert: the same 409. */
function emailRace(error: { code?: string; constraint?: string; message?: string }): void {
  if (error.code === '23505' && /email/.test(`${error.constraint ?? ''} ${error.message ?? ''}`))
    throw emailTaken();
}

/** The producer id names no producer (the foreign key refused it): the caller's mistake. */
function unknownProducer(error: { code?: string; constraint?: string; message?: string }): never {
  emailRace(error);
  if (error.code === '23503') {
    throw new DomainError('validation_failed', 'invalid', {}, [
      { in: 'body', name: 'producerId', rule: 'unknownProducer' },
    ]);
  }
  throw error;
}

export function createIdentityService(
  db: Kysely<DB>,
  deps: {
    adminUnits: AdminUnitsService;
    passwordParams?: ScryptParams;
    now?: () => Date;
    /** The 2025 commune of a producer record, or null (given by the composition root). */
    producerCommune?: (producerId: string) => Promise<string | null>;
  },
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

  /** Public writes (sign-ups, reset requests): 10 an hour per address, then doubling waits. */
  async function throttlePublicWrite(context: AuditContext): Promise<void> {
    const key = `public:${context.ip ?? 'unknown'}`;
    const current = now();
    const [throttle] = await findThrottles(db, [key]);
    if (throttle?.blocked_until && throttle.blocked_until > current) {
      throw tooManyAttempts(Math.ceil((throttle.blocked_until.getTime() - current.getTime()) / 1000));
    }
    await recordFailure(db, key, (count) => {
      const seconds = backoffSeconds('public', count);
      return seconds > 0 ? new Date(current.getTime() + seconds * 1000) : null;
    });
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
        }).catch(unknownProducer);
        await audit(trx, context, {
          action: 'user.create',
          entityType: 'user',
          entityId: row.id,
          after: AUDIT_USER_FIELDS(row),
        });
        return presentUser(row);
      });
    },

    /** The roles the principal may give a new user somewhere in its own scope (for the form). */
    async creatableRoles(principal: Principal | null): Promise<Role[]> {
      const place = await placeOf(principal);
      const allowed: Role[] = [];
      for (const role of ROLES) {
        const provinceCode = scopeLevel(role) ? place.provinceCode : null;
        if (identityPolicy(principal, { action: 'user.create', target: { role, provinceCode } }, place))
          allowed.push(role);
      }
      return allowed;
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

    /**
     * Changes a user's status, name, phone, role or scope. The principal must be allowed to manage
     * the user both as it is and as it becomes; disabling ends its sessions; the last active
     * administrator stays one.
     */
    async updateUser(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      changes: UserChanges,
    ): Promise<User> {
      const row = await findUserById(db, id);
      if (!row) throw userNotFound();
      const before = {
        role: row.role,
        provinceCode: await provinceOfScope(row.role, row.scope_code).catch(() => null),
      };
      if (!(await can(principal, { action: 'user.update', target: before }))) throw userNotFound();
      const role = changes.role ?? row.role;
      if (!(ROLES as readonly string[]).includes(role))
        throw invalidScope({ in: 'body', name: 'role', rule: 'enum' });
      const scopeCode = scopeLevel(role)
        ? changes.scopeCode !== undefined
          ? changes.scopeCode
          : row.scope_code
        : null;
      const after = { role, provinceCode: await provinceOfScope(role, scopeCode) };
      if (!(await can(principal, { action: 'user.update', target: after }))) throw forbidden();
      const status = changes.status ?? row.status;
      const stillAdmin = role === 'admin' && status === 'active';
      if (
        row.role === 'admin' &&
        row.status === 'active' &&
        !stillAdmin &&
        (await countActiveAdmins(db)) <= 1
      ) {
        throw lastAdmin();
      }
      if (role === 'producer' && status === 'active' && !row.producer_id) {
        throw invalidScope({ in: 'body', name: 'role', rule: 'invalid' });
      }
      return db.transaction().execute(async (trx) => {
        const updated = await updateUser(trx, id, {
          status,
          role,
          scope_code: scopeCode,
          ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
          ...(changes.phone !== undefined ? { phone: changes.phone || null } : {}),
        });
        if (status !== 'active') await deleteUserSessions(trx, id);
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
      // no address is longer than 254 characters: a longer one is a wrong sign-in, counted under
      // a bounded key (an unbounded one would not fit the throttle table's index)
      const keys = [`email:${email.slice(0, 254)}`, `ip:${(context.ip ?? 'unknown').slice(0, 64)}`];
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

    /** A new API token for the principal, acting within the principal's own scope. Shown once. */
    async createToken(
      context: AuditContext,
      principal: Principal | null,
      name: string,
    ): Promise<{ token: string; record: ApiToken }> {
      await authorize(principal, { action: 'token.manage' });
      const token = `${TOKEN_PREFIX}${newSecret()}`;
      return db.transaction().execute(async (trx) => {
        const row = await insertToken(trx, {
          user_id: principal!.userId,
          name: name.trim(),
          token_hash: sha256(token),
        });
        await audit(trx, context, {
          action: 'token.create',
          entityType: 'api_token',
          entityId: row.id,
          after: { name: row.name, user_id: row.user_id },
        });
        return { token, record: presentToken(row) };
      });
    },

    async listTokens(principal: Principal | null): Promise<ApiToken[]> {
      await authorize(principal, { action: 'token.manage' });
      return (await listTokens(db, principal!.userId)).map(presentToken);
    },

    /** Revokes one of the principal's tokens (an administrator: anyone's). Unknown → 404. */
    async revokeToken(context: AuditContext, principal: Principal | null, id: string): Promise<ApiToken> {
      await authorize(principal, { action: 'token.manage' });
      const row = await findToken(db, id);
      if (!row || (row.user_id !== principal!.userId && principal!.role !== 'admin')) throw tokenNotFound();
      return db.transaction().execute(async (trx) => {
        const revoked = (await revokeToken(trx, id)) ?? row;
        await audit(trx, context, {
          action: 'token.revoke',
          entityType: 'api_token',
          entityId: id,
          before: { revoked_at: row.revoked_at },
          after: { revoked_at: revoked.revoked_at },
        });
        return presentToken(revoked);
      });
    },

    /** The principal behind `Authorization: Bearer <token>`, or null for an unknown or revoked one. */
    async authenticateToken(token: string): Promise<Principal | null> {
      if (!token.startsWith(TOKEN_PREFIX)) return null;
      const row = await findTokenByHash(db, sha256(token));
      if (!row || row.revoked_at || row.status !== 'active') return null;
      if (!row.last_used_at || now().getTime() - row.last_used_at.getTime() > SESSION_LIMITS.touchEveryMs) {
        await touchToken(db, row.token_id);
      }
      return {
        userId: row.user_id,
        email: row.email,
        name: row.name,
        role: row.role,
        scopeCode: row.scope_code,
        producerId: row.producer_id,
        via: 'token',
        tokenId: row.token_id,
      };
    },

    /** For the CLI: a token for the user with this e-mail, without a signed-in principal. */
    async createTokenFor(context: AuditContext, email: string, name: string) {
      const user = await findUserByEmail(db, email.trim().toLowerCase());
      if (!user || user.status !== 'active') throw userNotFound();
      return this.createToken(
        context,
        {
          userId: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          scopeCode: user.scope_code,
          producerId: user.producer_id,
          via: 'session',
        },
        name,
      );
    },

    /**
     * A producer's representative signs up: the account stays pending (cannot sign in) until an
     * officer of its commune or province approves it and links it to a producer record.
     */
    async register(context: AuditContext, input: NewRegistration): Promise<Registration> {
      await throttlePublicWrite(context);
      const commune = await deps.adminUnits.get('2025', input.communeCode).catch(() => undefined);
      if (!commune || commune.level !== 'commune')
        throw invalidScope({ in: 'body', name: 'communeCode', rule: 'unknownUnit' });
      checkPassword(input.password, 'password');
      const email = input.email.trim().toLowerCase();
      const password_hash = await hashPassword(input.password, params);
      return db.transaction().execute(async (trx) => {
        if (await findUserByEmail(trx, email)) throw emailTaken();
        const user = await insertUser(trx, {
          email,
          name: input.name.trim(),
          phone: input.phone || null,
          status: 'pending',
          role: 'producer',
          scope_code: null,
          producer_id: null,
          password_hash,
        }).catch((error: { code?: string; constraint?: string; message?: string }) => {
          emailRace(error);
          throw error;
        });
        await insertRegistration(trx, {
          user_id: user.id,
          producer_name: input.producerName.trim(),
          commune_code: commune.code,
          province_code: commune.provinceCode,
        });
        await audit(
          trx,
          { ...context, actor: { type: 'anonymous', label: email } },
          {
            action: 'registration.create',
            entityType: 'user',
            entityId: user.id,
            after: {
              ...AUDIT_USER_FIELDS(user),
              producer_name: input.producerName.trim(),
              commune_code: commune.code,
            },
          },
        );
        return presentRegistration((await findRegistration(trx, user.id))!);
      });
    },

    /** Pending registrations the principal may decide: its commune, its province, or all. */
    async pendingRegistrations(principal: Principal | null): Promise<Registration[]> {
      await authorize(principal, { action: 'registration.list' });
      const filter =
        principal!.role === 'admin'
          ? {}
          : principal!.role === 'province_office'
            ? { provinceCode: principal!.scopeCode! }
            : { communeCode: principal!.scopeCode! };
      return (await listPendingRegistrations(db, filter)).map(presentRegistration);
    },

    /** Who to tell about a producer's records (its accounts) or a commune's or province's work. */
    contacts: (
      filter: { producerId: string } | { role: 'commune_officer' | 'province_office'; scopeCode: string },
      /** The caller's transaction, when there is one (PGlite has a single connection). */
      trx: Kysely<DB> = db,
    ) => findContacts(trx, filter),

    /** Approve (linking the producer record) or reject a pending registration. */
    async decideRegistration(
      context: AuditContext,
      principal: Principal | null,
      userId: string,
      decision: { decision: 'approved'; producerId: string } | { decision: 'rejected' },
    ): Promise<User> {
      const registration = await findRegistration(db, userId);
      const target = registration
        ? { provinceCode: registration.province_code, communeCode: registration.commune_code }
        : undefined;
      // Someone who may not decide it does not learn that it exists.
      if (!registration || !target || !(await can(principal, { action: 'registration.decide', target }))) {
        throw registrationNotFound();
      }
      // the account is linked to a producer of the commune it signed up in, nowhere else
      if (
        decision.decision === 'approved' &&
        deps.producerCommune &&
        (await deps.producerCommune(decision.producerId)) !== registration.commune_code
      ) {
        throw new DomainError('validation_failed', 'invalid', {}, [
          { in: 'body', name: 'producerId', rule: 'unknownProducer' },
        ]);
      }
      return db.transaction().execute(async (trx) => {
        if (
          !(await decideRegistration(trx, userId, {
            decided_by: principal!.userId,
            decision: decision.decision,
          }))
        ) {
          throw registrationDecided();
        }
        const before = await findUserById(trx, userId);
        const after =
          decision.decision === 'approved'
            ? await updateUser(trx, userId, { status: 'active', producer_id: decision.producerId }).catch(
                unknownProducer,
              )
            : await updateUser(trx, userId, { status: 'disabled' });
        await audit(trx, context, {
          action: `registration.${decision.decision === 'approved' ? 'approve' : 'reject'}`,
          entityType: 'user',
          entityId: userId,
          before: AUDIT_USER_FIELDS(before),
          after: AUDIT_USER_FIELDS(after),
        });
        return presentUser(after);
      });
    },

    /**
     * Sends a one-time link (valid one hour) to set a new password, through the outbox. The
     * caller learns nothing about whether the address has an account.
     */
    async requestPasswordReset(
      context: AuditContext,
      email: string,
      link: (token: string) => string,
    ): Promise<void> {
      await throttlePublicWrite(context);
      const user = await findUserByEmail(db, email.trim().toLowerCase());
      if (!user || user.status !== 'active') return;
      const token = newSecret();
      await db.transaction().execute(async (trx) => {
        await insertPasswordReset(trx, {
          token_hash: sha256(token),
          user_id: user.id,
          expires_at: new Date(now().getTime() + RESET_VALID_MS),
        });
        await enqueueMail(trx, {
          to: user.email,
          subject: 'Đặt lại mật khẩu Nền tảng OCOP / Reset your OCOP Platform password',
          text: [
            `Xin chào ${user.name},`,
            '',
            'Để đặt mật khẩu mới, mở liên kết sau trong vòng 1 giờ (chỉ dùng được một lần):',
            link(token),
            '',
            'Nếu bạn không yêu cầu, hãy bỏ qua thư này.',
            '',
            '---',
            'To set a new password, open the link above within one hour (it works once).',
            'If you did not ask for this, ignore this message.',
          ].join('\n'),
        });
        await audit(
          trx,
          { ...context, actor: { type: 'anonymous', label: user.email } },
          { action: 'user.password_reset_requested', entityType: 'user', entityId: user.id },
        );
      });
    },

    async passwordResetIsUsable(token: string): Promise<boolean> {
      return Boolean(await findUsablePasswordReset(db, sha256(token)));
    },

    /** Sets the new password with a reset token (once), and ends every session of the user. */
    async resetPassword(context: AuditContext, token: string, newPassword: string): Promise<void> {
      checkPassword(newPassword, 'newPassword');
      const password_hash = await hashPassword(newPassword, params);
      await db.transaction().execute(async (trx) => {
        const taken = await takePasswordReset(trx, sha256(token));
        if (!taken) throw resetInvalid();
        const before = await findUserById(trx, taken.user_id);
        const after = await updateUser(trx, taken.user_id, { password_hash });
        await deleteUserSessions(trx, taken.user_id);
        await audit(
          trx,
          { ...context, actor: { type: 'user', id: after.id, label: after.email } },
          {
            action: 'user.reset_password',
            entityType: 'user',
            entityId: after.id,
            before: AUDIT_USER_FIELDS(before),
            after: AUDIT_USER_FIELDS(after),
          },
        );
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
