/**
 * The baseline: a bare node:http server answering each path with fixed bytes captured from the
 * platform (same body, same content type). Usage: tsx bench/bare-server.ts <fixtures.json>
 */
import fs from 'node:fs';
import http from 'node:http';

const fixtures = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as Record<
  string,
  { type: string; body: string }
>;
const responses = new Map(
  Object.entries(fixtures).map(([path, { type, body }]) => [
    path,
    { type, body: Buffer.from(body, 'base64') },
  ]),
);

const server = http.createServer((req, res) => {
  const found = responses.get(req.url ?? '');
  if (!found) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': found.type, 'content-length': found.body.length }).end(found.body);
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`listening http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
