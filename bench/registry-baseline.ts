/**
 * The baseline of the registry scenarios: a bare node:http server that does the work no
 * implementation can skip and nothing else. For each request it runs the same SQL statements the
 * platform runs for its data (the modules' own query functions, called as the services call them:
 * the list, the fuzzy retry when nothing matched, and for products the GTINs and the producers'
 * names), then answers with the bytes the platform answered (captured once). What it leaves out is
 * what the platform adds: Fastify routing and validation, the API-token lookup, presenting rows,
 * serialising JSON. The caller's scope comes from a token → scope table given at start.
 *
 * Usage: tsx bench/registry-baseline.ts <config.json>; `x-bench-check: 1` answers the ids it found.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { ListScope } from '../src/modules/producers/policy.ts';
import { findProducers, findProducersByIds } from '../src/modules/producers/producers.queries.ts';
import { findGtins, findProducts } from '../src/modules/products/products.queries.ts';
import { type DatabaseTarget, openDatabase } from '../src/platform/db/database.ts';
import { decodeCursor } from '../src/platform/pagination.ts';

export interface BaselineConfig {
  target: DatabaseTarget;
  /** Bearer token → the list scope the platform gives its user. */
  scopes: Record<string, ListScope>;
  /** URL path → the platform's answer. */
  fixtures: Record<string, { type: string; body: string }>;
}

const config = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as BaselineConfig;
const responses = new Map(
  Object.entries(config.fixtures).map(([path, { type, body }]) => [
    path,
    { type, body: Buffer.from(body, 'base64') },
  ]),
);
const database = await openDatabase(config.target);
const db = database.db;

const text = (params: URLSearchParams, name: string) => params.get(name) ?? undefined;
const integer = (params: URLSearchParams, name: string) =>
  params.has(name) ? Number(params.get(name)) : undefined;

/** The rows of a list, as the services fetch them; returns the ids of the page. */
async function list(pathname: string, params: URLSearchParams, scope: ListScope | null): Promise<string[]> {
  const limit = integer(params, 'limit') ?? 50;
  const q = text(params, 'q')?.trim().replace(/\s+/g, ' ') || undefined;
  const cursor = decodeCursor(text(params, 'cursor'));
  const retry = (n: number) => q !== undefined && n === 0 && !cursor && q.length >= 3;
  if (pathname === '/api/v1/producers') {
    if (!scope) throw new Error('producers need a signed-in caller');
    const filter = {
      scope,
      q,
      provinceCode: text(params, 'provinceCode'),
      communeCode: text(params, 'communeCode'),
      legalType: text(params, 'legalType'),
      cursor,
      limit,
    };
    let rows = await findProducers(db, filter);
    if (retry(rows.length)) rows = await findProducers(db, { ...filter, fuzzy: true });
    return rows.slice(0, limit).map((r) => r.id);
  }
  const filter = {
    scope,
    q,
    provinceCode: text(params, 'provinceCode'),
    communeCode: text(params, 'communeCode'),
    producerId: text(params, 'producerId'),
    productSet: integer(params, 'productSet'),
    stars: integer(params, 'stars'),
    status: text(params, 'status'),
    cursor,
    limit,
  };
  let rows = await findProducts(db, filter);
  if (retry(rows.length)) rows = await findProducts(db, { ...filter, fuzzy: true });
  const page = rows.slice(0, limit);
  await Promise.all([
    findGtins(
      db,
      page.map((r) => r.id),
    ),
    findProducersByIds(db, [...new Set(page.map((r) => r.producer_id))]),
  ]);
  return page.map((r) => r.id);
}

const server = http.createServer(async (req, res) => {
  const found = responses.get(req.url ?? '');
  if (!found) {
    res.writeHead(404).end();
    return;
  }
  try {
    const url = new URL(req.url!, 'http://baseline');
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const scope = token ? config.scopes[token] : null;
    if (scope === undefined) {
      res.writeHead(401).end();
      return;
    }
    const ids = await list(url.pathname, url.searchParams, scope);
    if (req.headers['x-bench-check']) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ids));
      return;
    }
    res.writeHead(200, { 'content-type': found.type, 'content-length': found.body.length }).end(found.body);
  } catch (error) {
    console.error(error);
    res.writeHead(500).end();
  }
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`listening http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => void database.close().then(() => process.exit(0))));
