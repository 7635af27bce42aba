/** The only code that reads or writes the tables of schema identity. */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Role } from './policy.ts';

export interface UserRow {
  id: string;
  email: string;
  phone: string | null;
  name: string;
  status: 'pending' | 'active' | 'disabled';
  role: Role;
  scope_code: string | null;
  producer_id: string | null;
  password_hash: string | null;
  created_at: Date;
  updated_at: Date;
}

type Db = Kysely<DB>;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return (await db
    .selectFrom('identity.user_account')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirst()) as UserRow | undefined;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return (await db.selectFrom('identity.user_account').selectAll().where('id', '=', id).executeTakeFirst()) as
    | UserRow
    | undefined;
}

export async function insertUser(
  db: Db,
  user: Pick<
    UserRow,
    'email' | 'phone' | 'name' | 'status' | 'role' | 'scope_code' | 'producer_id' | 'password_hash'
  >,
): Promise<UserRow> {
  return (await db
    .insertInto('identity.user_account')
    .values(user)
    .returningAll()
    .executeTakeFirstOrThrow()) as UserRow;
}

export async function updateUser(
  db: Db,
  id: string,
  changes: Partial<
    Pick<UserRow, 'name' | 'phone' | 'status' | 'role' | 'scope_code' | 'producer_id' | 'password_hash'>
  >,
): Promise<UserRow> {
  return (await db
    .updateTable('identity.user_account')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as UserRow;
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('identity.user_account')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row?.n ?? 0;
}

/** Users, optionally only those whose scope lies in one province (communes given as a list). */
export async function listUsers(
  db: Db,
  filter: { provinceCode?: string; communeCodes?: string[]; includeUnscoped?: boolean },
): Promise<UserRow[]> {
  let query = db.selectFrom('identity.user_account').selectAll();
  if (filter.provinceCode) {
    const { provinceCode, communeCodes = [], includeUnscoped } = filter;
    query = query.where((eb) =>
      eb.or([
        eb('scope_code', '=', provinceCode),
        ...(communeCodes.length > 0 ? [eb('scope_code', 'in', communeCodes)] : []),
        ...(includeUnscoped ? [eb('role', 'in', ['council_member', 'council_secretary'])] : []),
      ]),
    );
  }
  return (await query.orderBy('created_at').execute()) as UserRow[];
}

// --- sessions -------------------------------------------------------------------------------

export async function insertSession(
  db: Db,
  session: {
    id: string;
    user_id: string;
    csrf_token: string;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  },
): Promise<void> {
  await db.insertInto('identity.session').values(session).execute();
}

export async function findSession(db: Db, id: string) {
  return db
    .selectFrom('identity.session as s')
    .innerJoin('identity.user_account as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.csrf_token',
      's.last_seen_at',
      's.expires_at',
      'u.id as user_id',
      'u.email',
      'u.name',
      'u.role',
      'u.scope_code',
      'u.producer_id',
      'u.status',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string): Promise<void> {
  await db.updateTable('identity.session').set({ last_seen_at: sql`now()` }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('identity.session').where('id', '=', id).execute();
}

export async function deleteUserSessions(db: Db, userId: string, except?: string): Promise<number> {
  let query = db.deleteFrom('identity.session').where('user_id', '=', userId);
  if (except) query = query.where('id', '!=', except);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

// --- login throttling -----------------------------------------------------------------------

export async function findThrottles(db: Db, keys: string[]) {
  return db.selectFrom('identity.login_throttle').selectAll().where('key', 'in', keys).execute();
}

export async function recordFailure(db: Db, key: string, blockedUntil: (failures: number) => Date | null) {
  const row = await db
    .insertInto('identity.login_throttle')
    .values({ key, failures: 1 })
    .onConflict((c) =>
      c
        .column('key')
        // a count older than an hour starts again: an office's shared address is not blocked forever
        .doUpdateSet({
          failures: sql`case when identity.login_throttle.updated_at < now() - interval '1 hour' then 1
                             else identity.login_throttle.failures + 1 end`,
          updated_at: sql`now()`,
        }),
    )
    .returning(['failures'])
    .executeTakeFirstOrThrow();
  const until = blockedUntil(row.failures);
  if (until)
    await db
      .updateTable('identity.login_throttle')
      .set({ blocked_until: until })
      .where('key', '=', key)
      .execute();
  return row.failures;
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('identity.login_throttle').where('key', '=', key).execute();
}

// --- password resets ------------------------------------------------------------------------

export async function insertPasswordReset(
  db: Db,
  row: { token_hash: string; user_id: string; expires_at: Date },
) {
  await db.insertInto('identity.password_reset').values(row).execute();
}

export async function takePasswordReset(db: Db, tokenHash: string) {
  return db
    .updateTable('identity.password_reset')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['user_id'])
    .executeTakeFirst();
}

export async function findUsablePasswordReset(db: Db, tokenHash: string) {
  return db
    .selectFrom('identity.password_reset')
    .select(['user_id'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

// --- API tokens -----------------------------------------------------------------------------

export async function insertToken(db: Db, row: { user_id: string; name: string; token_hash: string }) {
  return db.insertInto('identity.api_token').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTokenByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('identity.api_token as t')
    .innerJoin('identity.user_account as u', 'u.id', 't.user_id')
    .select([
      't.id as token_id',
      't.name as token_name',
      't.revoked_at',
      't.last_used_at',
      'u.id as user_id',
      'u.email',
      'u.name',
      'u.role',
      'u.scope_code',
      'u.producer_id',
      'u.status',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchToken(db: Db, id: string): Promise<void> {
  await db.updateTable('identity.api_token').set({ last_used_at: sql`now()` }).where('id', '=', id).execute();
}

export async function listTokens(db: Db, userId: string) {
  return db
    .selectFrom('identity.api_token')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findToken(db: Db, id: string) {
  return db.selectFrom('identity.api_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeToken(db: Db, id: string) {
  return db
    .updateTable('identity.api_token')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

// --- producer self-registrations -------------------------------------------------------------

export interface RegistrationRow {
  user_id: string;
  producer_name: string;
  commune_code: string;
  province_code: string;
  created_at: Date;
  decided_at: Date | null;
  decision: string | null;
  email: string;
  name: string;
  phone: string | null;
  status: string;
}

export async function insertRegistration(
  db: Db,
  row: { user_id: string; producer_name: string; commune_code: string; province_code: string },
): Promise<void> {
  await db.insertInto('identity.registration').values(row).execute();
}

const registrationQuery = (db: Db) =>
  db
    .selectFrom('identity.registration as r')
    .innerJoin('identity.user_account as u', 'u.id', 'r.user_id')
    .select([
      'r.user_id',
      'r.producer_name',
      'r.commune_code',
      'r.province_code',
      'r.created_at',
      'r.decided_at',
      'r.decision',
      'u.email',
      'u.name',
      'u.phone',
      'u.status',
    ]);

export async function listPendingRegistrations(
  db: Db,
  filter: { provinceCode?: string; communeCode?: string },
): Promise<RegistrationRow[]> {
  let query = registrationQuery(db).where('r.decided_at', 'is', null);
  if (filter.provinceCode) query = query.where('r.province_code', '=', filter.provinceCode);
  if (filter.communeCode) query = query.where('r.commune_code', '=', filter.communeCode);
  return (await query.orderBy('r.created_at').execute()) as RegistrationRow[];
}

export async function findRegistration(db: Db, userId: string): Promise<RegistrationRow | undefined> {
  return (await registrationQuery(db).where('r.user_id', '=', userId).executeTakeFirst()) as
    | RegistrationRow
    | undefined;
}

export async function decideRegistration(
  db: Db,
  userId: string,
  decision: { decided_by: string; decision: 'approved' | 'rejected' },
): Promise<boolean> {
  const result = await db
    .updateTable('identity.registration')
    .set({ ...decision, decided_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('decided_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Active users to notify: a producer's accounts, or the officers of a commune or province. */
export async function findContacts(
  db: Db,
  filter: { producerId: string } | { role: 'commune_officer' | 'province_office'; scopeCode: string },
): Promise<{ email: string; name: string }[]> {
  let query = db.selectFrom('identity.user_account').select(['email', 'name']).where('status', '=', 'active');
  query =
    'producerId' in filter
      ? query.where('role', '=', 'producer').where('producer_id', '=', filter.producerId)
      : query.where('role', '=', filter.role).where('scope_code', '=', filter.scopeCode);
  return query.orderBy('email').execute();
}
