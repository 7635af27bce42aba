/**
 * EPCIS queries (the SimpleEventQuery parameters of EPCIS 2.0 §8.2.7.1 over the REST bindings):
 * parameters read and checked, identifiers compared in canonical form (an EPC URN and its GS1
 * Digital Link URI are the same thing), pages by keyset with an opaque `nextPageToken`, events
 * answered in the format the client asks for (`GS1-EPC-Format`). And the integrity check of the
 * owners' hash chains.
 */
import type { Kysely } from 'kysely';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { canonicalEpc, toDigitalLink, toEpcUrn } from '../../platform/gs1/index.ts';
import { canonicalJson, linkHash } from './capture.service.ts';
import { canonicalVocabulary } from './epcis/index.ts';
import { EpcisError } from './errors.ts';
import * as q from './traceability.queries.ts';

export const EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;

export type EpcFormat = 'No_Preference' | 'Always_GS1_Digital_Link' | 'Always_EPC_URN' | 'Never_Translates';
export const EPC_FORMATS: readonly EpcFormat[] = [
  'No_Preference',
  'Always_GS1_Digital_Link',
  'Always_EPC_URN',
  'Never_Translates',
];

const PER_PAGE = { default: 30, max: 1000 };

/** The identifier parameters: which roles each one looks at. */
const MATCH_ROLES: Record<string, string[]> = {
  MATCH_epc: ['epc'],
  MATCH_anyEPC: ['epc', 'parentID', 'inputEPC', 'outputEPC'],
  MATCH_parentID: ['parentID'],
  MATCH_inputEPC: ['inputEPC'],
  MATCH_outputEPC: ['outputEPC'],
  MATCH_epcClass: ['epcClass'],
  MATCH_inputEPCClass: ['inputEPCClass'],
  MATCH_outputEPCClass: ['outputEPCClass'],
  MATCH_anyEPCClass: ['epcClass', 'inputEPCClass', 'outputEPCClass'],
};

const TIME_PARAMS = ['GE_eventTime', 'LT_eventTime', 'GE_recordTime', 'LT_recordTime'] as const;
const LIST_PARAMS = [
  'eventType',
  'EQ_action',
  'EQ_bizStep',
  'EQ_disposition',
  'EQ_readPoint',
  'EQ_bizLocation',
  'EQ_eventID',
];
const OTHER_PARAMS = ['orderBy', 'orderDirection', 'eventCountLimit', 'perPage', 'nextPageToken'];
const KNOWN = new Set([...TIME_PARAMS, ...LIST_PARAMS, ...OTHER_PARAMS, ...Object.keys(MATCH_ROLES)]);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const bad = (detail: string) => new EpcisError('QueryParameterException', 400, detail);

/**
 * Values of a parameter: repeated (`?a=1&a=2`) and/or pipe-delimited (`?a=1|2`, the REST bindings'
 * `pipeDelimited` style). A comma may be part of a URI (an EPC's serial), so it separates values only
 * of the enumerated parameters (`commas`: eventType, EQ_action).
 */
function valuesOf(raw: unknown, commas = false): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list
    .flatMap((v) => String(v).split(commas ? /[|,]/ : '|'))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** An identifier as stored (canonical), and whether a pattern (class-level) asks for a prefix. */
function identifierMatch(value: string): { exact: string; prefix: string | null } {
  const canonical = canonicalEpc(value) ?? value;
  // a class-level pattern (…idpat…/*, a GTIN without serial) matches every instance under it
  const isPattern = /:idpat:|\*$/.test(value) || /\/01\/\d{14}$/.test(canonical);
  return { exact: canonical, prefix: isPattern ? `${canonical}/` : null };
}

interface PageToken {
  /** A digest of the query's parameters: a token only continues its own query. */
  q: string;
  time: string;
  seq: number;
  /** Events still allowed by eventCountLimit (null: no limit). */
  left: number | null;
}

const encodeToken = (t: PageToken) => Buffer.from(JSON.stringify(t)).toString('base64url');
function decodeToken(value: string): PageToken {
  try {
    const t = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as PageToken;
    if (typeof t.q === 'string' && typeof t.time === 'string' && Number.isInteger(t.seq)) return t;
  } catch {
    // fall through
  }
  throw bad('nextPageToken is not one this server gave');
}

/** Converts the identifiers of an event document to the format the client asked for. */
export function formatEvent(document: Record<string, unknown>, format: EpcFormat): Record<string, unknown> {
  if (format === 'Never_Translates' || format === 'No_Preference') return document;
  const convert = (id: unknown) => {
    if (typeof id !== 'string') return id;
    return (format === 'Always_EPC_URN' ? toEpcUrn(id) : toDigitalLink(id)) ?? id;
  };
  const out: Record<string, unknown> = { ...document };
  for (const key of ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'])
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(convert);
  if (typeof out.parentID === 'string') out.parentID = convert(out.parentID);
  for (const key of ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'])
    if (Array.isArray(out[key]))
      out[key] = (out[key] as Record<string, unknown>[]).map((e) => ({
        ...e,
        epcClass: convert(e.epcClass),
      }));
  for (const key of ['readPoint', 'bizLocation'])
    if (out[key] && typeof out[key] === 'object')
      out[key] = {
        ...(out[key] as Record<string, unknown>),
        id: convert((out[key] as Record<string, unknown>).id),
      };
  return out;
}

export function scopeOf(principal: Principal | null): q.EventScope {
  if (!principal) throw new EpcisError('SecurityException', 401, 'An API token is required');
  if (principal.role === 'admin') return { kind: 'all' };
  if (principal.role === 'province_office' && principal.scopeCode)
    return { kind: 'province', code: principal.scopeCode };
  if (principal.role === 'producer' && principal.producerId)
    return { kind: 'producer', producerId: principal.producerId };
  throw new EpcisError('SecurityException', 403, 'This account may not read events');
}

export function createQueryService(db: Kysely<DB>) {
  /** Reads the query parameters into a filter, or a QueryParameterException naming what is wrong. */
  function filterOf(
    scope: q.EventScope,
    params: Record<string, unknown>,
  ): { filter: q.EventFilter; digest: string; countLimit: number | null } {
    for (const key of Object.keys(params)) if (!KNOWN.has(key)) throw bad(`Unknown query parameter ${key}`);
    const filter: q.EventFilter = {
      scope,
      identifiers: [],
      orderBy: 'eventTime',
      direction: 'ASC',
      limit: PER_PAGE.default,
    };
    const eventTypes = params.eventType === undefined ? undefined : valuesOf(params.eventType, true);
    if (eventTypes) {
      for (const t of eventTypes)
        if (!(EVENT_TYPES as readonly string[]).includes(t)) throw bad(`Unknown eventType ${t}`);
      filter.eventTypes = eventTypes;
    }
    for (const name of TIME_PARAMS) {
      if (params[name] === undefined) continue;
      const value = String(params[name]);
      if (!RFC3339.test(value) || Number.isNaN(Date.parse(value)))
        throw bad(`${name} must be a date-time with an offset`);
      const key = {
        GE_eventTime: 'geEventTime',
        LT_eventTime: 'ltEventTime',
        GE_recordTime: 'geRecordTime',
        LT_recordTime: 'ltRecordTime',
      }[name] as 'geEventTime' | 'ltEventTime' | 'geRecordTime' | 'ltRecordTime';
      filter[key] = value;
    }
    if (params.EQ_action !== undefined) {
      const actions = valuesOf(params.EQ_action, true);
      for (const a of actions)
        if (!['ADD', 'OBSERVE', 'DELETE'].includes(a)) throw bad(`EQ_action ${a}: ADD, OBSERVE or DELETE`);
      filter.actions = actions;
    }
    if (params.EQ_bizStep !== undefined)
      filter.bizSteps = valuesOf(params.EQ_bizStep).map((v) => canonicalVocabulary('bizStep', v) ?? v);
    if (params.EQ_disposition !== undefined)
      filter.dispositions = valuesOf(params.EQ_disposition).map(
        (v) => canonicalVocabulary('disposition', v) ?? v,
      );
    if (params.EQ_readPoint !== undefined)
      filter.readPoints = valuesOf(params.EQ_readPoint).map((v) => canonicalEpc(v) ?? v);
    if (params.EQ_bizLocation !== undefined)
      filter.bizLocations = valuesOf(params.EQ_bizLocation).map((v) => canonicalEpc(v) ?? v);
    if (params.EQ_eventID !== undefined) filter.eventIds = valuesOf(params.EQ_eventID);
    for (const [name, roles] of Object.entries(MATCH_ROLES)) {
      if (params[name] === undefined) continue;
      const matches = valuesOf(params[name]).map(identifierMatch);
      filter.identifiers.push({
        roles,
        exact: matches.map((m) => m.exact),
        prefixes: matches.flatMap((m) => (m.prefix ? [m.prefix] : [])),
      });
    }
    if (params.orderBy !== undefined) {
      const o = String(params.orderBy);
      if (o !== 'eventTime' && o !== 'recordTime') throw bad('orderBy: eventTime or recordTime');
      filter.orderBy = o;
      // with orderBy, orderDirection defaults to DESC (REST bindings); without, the order is ours
      filter.direction = 'DESC';
    }
    if (params.orderDirection !== undefined) {
      const d = String(params.orderDirection);
      if (d !== 'ASC' && d !== 'DESC') throw bad('orderDirection: ASC or DESC');
      filter.direction = d;
    }
    const integer = (name: string, max: number) => {
      if (params[name] === undefined) return null;
      const v = String(params[name]);
      if (!/^\d{1,9}$/.test(v) || Number(v) < 1 || Number(v) > max)
        throw bad(`${name} must be a whole number from 1 to ${max}`);
      return Number(v);
    };
    filter.limit = integer('perPage', PER_PAGE.max) ?? PER_PAGE.default;
    const countLimit = integer('eventCountLimit', 1_000_000_000);
    // "first N" means nothing without an order: the bindings make it a QueryParameterException
    if (countLimit !== null && params.orderBy === undefined) throw bad('eventCountLimit needs orderBy');
    const digest = canonicalJson(
      Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'nextPageToken' && k !== 'perPage')),
    );
    return { filter, digest, countLimit };
  }

  return {
    /** One page of events matching the parameters, and the token of the next page (if any). */
    async events(principal: Principal | null, params: Record<string, unknown>, format: EpcFormat) {
      const scope = scopeOf(principal);
      const { filter, digest, countLimit } = filterOf(scope, params);
      let left = countLimit;
      if (params.nextPageToken !== undefined) {
        const token = decodeToken(String(params.nextPageToken));
        if (token.q !== digest) throw bad('nextPageToken belongs to another query');
        filter.after = { time: token.time, seq: token.seq };
        left = token.left;
      }
      const want = left === null ? filter.limit : Math.min(filter.limit, left);
      const rows = want > 0 ? await q.findEvents(db, { ...filter, limit: want + 1 }) : [];
      const page = rows.slice(0, want);
      const more = rows.length > want && (left === null || left - page.length > 0);
      const last = page.at(-1);
      const next =
        more && last
          ? encodeToken({
              q: digest,
              time: (filter.orderBy === 'recordTime' ? last.record_time : last.event_time).toISOString(),
              seq: Number(last.seq),
              left: left === null ? null : left - page.length,
            })
          : null;
      return { events: page.map((r) => formatEvent(r.document as Record<string, unknown>, format)), next };
    },

    /**
     * Named queries (REST bindings /queries): the parameters are checked as a query would check
     * them, saved under a name unique on this server, and run later with the caller's rights.
     */
    async saveNamed(principal: Principal | null, name: unknown, params: unknown) {
      const scope = scopeOf(principal);
      if (typeof name !== 'string' || !/^[A-Za-z0-9_.~-]{1,100}$/.test(name))
        throw new EpcisError('ValidationException', 400, 'name: 1 to 100 letters, digits, _ . ~ -');
      if (!params || typeof params !== 'object' || Array.isArray(params))
        throw new EpcisError('ValidationException', 400, 'query: an object of query parameters');
      const query = params as Record<string, unknown>;
      for (const [key, value] of Object.entries(query)) {
        const ok =
          typeof value === 'string' ||
          typeof value === 'number' ||
          (Array.isArray(value) && value.every((v) => typeof v === 'string'));
        if (!ok || ['perPage', 'nextPageToken'].includes(key))
          throw new EpcisError('QueryParameterException', 400, `query.${key}: a string or a list of strings`);
      }
      filterOf(scope, query);
      const saved = await q.insertNamedQuery(db, {
        name,
        owner_user_id: principal!.userId,
        query: JSON.stringify(query),
      });
      if (!saved) throw new EpcisError('ResourceAlreadyExistsException', 409, `A query named ${name} exists`);
      return { name, query };
    },

    async named(principal: Principal | null, name: string) {
      scopeOf(principal);
      const row = await q.findNamedQuery(db, name);
      if (!row || (principal!.role !== 'admin' && row.owner_user_id !== principal!.userId))
        throw new EpcisError('NoSuchResourceException', 404, `No query named ${name}`);
      return { name: row.name, query: row.query as Record<string, unknown> };
    },

    async namedList(principal: Principal | null) {
      scopeOf(principal);
      const rows = await q.listNamedQueries(db, principal!.role === 'admin' ? null : principal!.userId);
      return rows.map((r) => ({ name: r.name, query: r.query as Record<string, unknown> }));
    },

    async deleteNamed(principal: Principal | null, name: string) {
      await this.named(principal, name);
      await q.deleteNamedQuery(db, name);
    },

    /**
     * For subscriptions: a query's events stored after `afterSeq` and recorded before `before`,
     * run with the rights the subscriber had (`scope`), oldest first, with their sequence numbers.
     */
    async newEvents(
      scope: q.EventScope,
      params: Record<string, unknown>,
      afterSeq: number,
      before: Date,
      limit: number,
    ) {
      const { filter } = filterOf(scope, params);
      const rows = await q.findEvents(db, {
        ...filter,
        ltRecordTime:
          filter.ltRecordTime && filter.ltRecordTime < before.toISOString()
            ? filter.ltRecordTime
            : before.toISOString(),
        orderBy: 'recordTime',
        direction: 'ASC',
        afterSeq,
        limit,
      });
      return rows.map((r) => ({ seq: Number(r.seq), document: r.document as Record<string, unknown> }));
    },

    /** Checks query parameters as a query would (for subscriptions of a named query). */
    check(principal: Principal | null, params: Record<string, unknown>) {
      filterOf(scopeOf(principal), params);
    },

    async event(principal: Principal | null, eventId: string, format: EpcFormat) {
      const scope = scopeOf(principal);
      const [row] = await q.findEvents(db, {
        scope,
        eventIds: [eventId],
        identifiers: [],
        orderBy: 'recordTime',
        direction: 'ASC',
        limit: 1,
      });
      if (!row) throw new EpcisError('NoSuchResourceException', 404, 'No such event');
      return formatEvent(row.document as Record<string, unknown>, format);
    },

    /**
     * Re-verifies the hash chains the principal may see (one chain, or all; a range of links):
     * every link must follow the one before, carry the hash of its content, and none may be
     * missing. Returns each chain's count and every break found.
     */
    async integrity(principal: Principal | null, options: { chain?: string; from?: number; to?: number }) {
      const scope = scopeOf(principal);
      const prefix = scope.kind === 'producer' ? `producer:${scope.producerId}` : null;
      let heads = await q.chainKeys(db, prefix);
      if (scope.kind === 'province') {
        // the chains whose events belong to the province
        const mine = new Set(await q.chainKeysOfProvince(db, scope.code));
        heads = heads.filter((h) => mine.has(h.chain_key));
      }
      if (options.chain) heads = heads.filter((h) => h.chain_key === options.chain);
      const chains: {
        chain: string;
        checked: number;
        head: number;
        breaks: { chainSeq: number; reason: string }[];
      }[] = [];
      for (const head of heads) {
        const from = options.from ?? 1;
        const to = Math.min(options.to ?? Number(head.chain_seq), Number(head.chain_seq));
        // rows past the head are read too: a link the head does not know of is a break
        const rows = await q.chainEvents(db, head.chain_key, from, options.to ?? Number.MAX_SAFE_INTEGER);
        // (a capture may have extended the chain since its head was read: the head as it is now)
        let headSeq = Number(head.chain_seq);
        if (rows.length > 0 && Number(rows.at(-1)!.chain_seq) > headSeq) {
          const now = (await q.chainKeys(db, head.chain_key)).find((h) => h.chain_key === head.chain_key);
          headSeq = Number(now?.chain_seq ?? headSeq);
        }
        const breaks: { chainSeq: number; reason: string }[] = [];
        let prev: string | null = null;
        let expected = from;
        if (from > 1) {
          const before = await q.chainEvents(db, head.chain_key, from - 1, from - 1);
          prev = before[0]?.hash ?? null;
          if (!before[0]) breaks.push({ chainSeq: from - 1, reason: 'missing' });
        }
        for (const row of rows) {
          const seq = Number(row.chain_seq);
          if (seq > headSeq) breaks.push({ chainSeq: seq, reason: 'past the chain head' });
          for (; expected < seq; expected++) breaks.push({ chainSeq: expected, reason: 'missing' });
          expected = seq + 1;
          if (row.prev_hash !== prev) breaks.push({ chainSeq: seq, reason: 'previous link does not match' });
          const content = canonicalJson(row.document);
          if (linkHash(row.prev_hash, row.event_id, row.record_time.toISOString(), content) !== row.hash)
            breaks.push({ chainSeq: seq, reason: 'content does not match its hash' });
          prev = row.hash;
        }
        for (; expected <= to; expected++) breaks.push({ chainSeq: expected, reason: 'missing' });
        chains.push({ chain: head.chain_key, checked: rows.length, head: Number(head.chain_seq), breaks });
      }
      return { intact: chains.every((c) => c.breaks.length === 0), chains };
    },
  };
}

export type QueryService = ReturnType<typeof createQueryService>;
