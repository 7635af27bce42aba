import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogue } from '../../app.ts';
import { createCatalogue, defineMessages, negotiateLocale } from './index.ts';

test('language: ?lang= first, then cookie, then Accept-Language, then Vietnamese', () => {
  const cases: [Parameters<typeof negotiateLocale>[0], string][] = [
    [{}, 'vi'],
    [{ query: 'en' }, 'en'],
    [{ query: 'en', cookie: 'vi', acceptLanguage: 'vi' }, 'en'],
    [{ query: 'fr', cookie: 'en' }, 'en'],
    [{ cookie: 'en', acceptLanguage: 'vi' }, 'en'],
    [{ cookie: 'xx', acceptLanguage: 'en-US,en;q=0.9' }, 'en'],
    [{ acceptLanguage: 'fr-FR, en;q=0.5, vi;q=0.8' }, 'vi'],
    [{ acceptLanguage: 'fr, de' }, 'vi'],
    [{ acceptLanguage: 'en;q=0, vi' }, 'vi'],
    [{ acceptLanguage: 'EN-gb' }, 'en'],
    [{ acceptLanguage: ';;,q=,' }, 'vi'],
  ];
  for (const [input, expected] of cases)
    assert.equal(negotiateLocale(input), expected, JSON.stringify(input));
});

test('messages interpolate parameters and fall back to Vietnamese, then to the key', () => {
  const c = createCatalogue([
    defineMessages({ hello: 'Xin chào {name}', only: 'chỉ vi' }, { hello: 'Hello {name}', only: '' }),
  ]);
  assert.equal(c.translator('vi')('hello', { name: 'Cà Mau' }), 'Xin chào Cà Mau');
  assert.equal(c.translator('en')('hello', { name: 'Ca Mau' }), 'Hello Ca Mau');
  assert.equal(c.translator('en')('hello'), 'Hello {name}');
  assert.equal(c.translator('en')('missing.key'), 'missing.key');
});

test('a key defined twice is refused', () => {
  const a = defineMessages({ x: 'a' }, { x: 'a' });
  assert.throws(() => createCatalogue([a, a]), /defined twice/);
});

test('the platform catalogue has every message in both languages, none empty', () => {
  const vi = catalogue.translator('vi');
  const en = catalogue.translator('en');
  assert.ok(catalogue.keys().length > 50);
  for (const key of catalogue.keys()) {
    assert.notEqual(vi(key).trim(), '', `vi ${key}`);
    assert.notEqual(en(key).trim(), '', `en ${key}`);
    assert.notEqual(en(key), key, `en ${key}`);
  }
});
