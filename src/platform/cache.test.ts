import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LruCache } from './cache.ts';

test('evicts the least recently used entry beyond its size', () => {
  const cache = new LruCache<number>(2, 1000);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1); // a is now the most recent
  cache.set('c', 3);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
  assert.equal(cache.size, 2);
});

test('entries expire after the time to live', () => {
  let now = 0;
  const cache = new LruCache<string>(10, 100, () => now);
  cache.set('k', 'v');
  now = 99;
  assert.equal(cache.get('k'), 'v');
  now = 199;
  assert.equal(cache.get('k'), undefined);
  assert.equal(cache.size, 0);
});

test('getOrLoad loads once, and does not cache a failure', async () => {
  const cache = new LruCache<number>(10, 1000);
  let calls = 0;
  const load = async () => ++calls;
  assert.equal(await cache.getOrLoad('x', load), 1);
  assert.equal(await cache.getOrLoad('x', load), 1);
  await assert.rejects(cache.getOrLoad('y', () => Promise.reject(new Error('db down'))));
  assert.equal(await cache.getOrLoad('y', load), 2);
});
