import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: port 3000 on all interfaces, PGlite in ./data, public URL on localhost', () => {
  const config = loadConfig({}, '/srv/ocop');
  assert.equal(config.port, 3000);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.dataDir, '/srv/ocop/data');
  assert.equal(config.publicUrl.href, 'http://localhost:3000/');
  assert.equal(config.logLevel, 'info');
});

test('every variable is read', () => {
  const config = loadConfig(
    {
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://ocop:secret@db:5432/ocop',
      OCOP_DATA_DIR: '/var/lib/ocop',
      OCOP_PUBLIC_URL: 'https://ocop.camau.gov.vn',
      LOG_LEVEL: 'WARN',
    },
    '/srv',
  );
  assert.equal(config.port, 8080);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.databaseUrl, 'postgres://ocop:secret@db:5432/ocop');
  assert.equal(config.dataDir, '/var/lib/ocop');
  assert.equal(config.publicUrl.origin, 'https://ocop.camau.gov.vn');
  assert.equal(config.logLevel, 'warn');
});

test('empty values count as unset', () => {
  assert.equal(loadConfig({ DATABASE_URL: '', PORT: ' ' }).port, 3000);
});

test('a bad value names the variable and what it expects', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT must be/],
    [{ PORT: '-1' }, /^PORT must be/],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL must be a URL/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /^DATABASE_URL must start with postgres/],
    [{ OCOP_PUBLIC_URL: 'ocop.vn' }, /^OCOP_PUBLIC_URL must be an absolute/],
    [{ OCOP_PUBLIC_URL: 'ftp://ocop.vn' }, /^OCOP_PUBLIC_URL must use http or https/],
    [{ OCOP_PUBLIC_URL: 'https://ocop.vn/?a=1' }, /^OCOP_PUBLIC_URL must not carry/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL must be one of fatal, error/],
    [{ HOST: 'a b' }, /^HOST must be/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
      JSON.stringify(env),
    );
  }
});
