import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, needsRehash, OWASP_SCRYPT, randomPassword, verifyPassword } from './password.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

test('a hash verifies its password only, and carries its parameters', async () => {
  const stored = await hashPassword('Mật khẩu đúng 123', FAST);
  assert.match(stored, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.equal(await verifyPassword('Mật khẩu đúng 123', stored), true);
  assert.equal(await verifyPassword('Mật khẩu đúng 124', stored), false);
  assert.equal(await verifyPassword('', stored), false);
  assert.notEqual(await hashPassword('same', FAST), await hashPassword('same', FAST), 'salted');
});

test('composed and decomposed Vietnamese input is the same password', async () => {
  const stored = await hashPassword('Đổi mật khẩu', FAST);
  assert.equal(await verifyPassword('Đổi mật khẩu'.normalize('NFD'), stored), true);
});

test('malformed stored hashes never verify', async () => {
  for (const stored of ['', 'plain', 'scrypt$x$8$1$a$b', 'bcrypt$1$2$3$4$5', 'scrypt$1024$8$1$AAAA$AAAA']) {
    assert.equal(await verifyPassword('x', stored), false, stored);
  }
});

test('the default cost is OWASP’s; weaker hashes ask to be redone', async () => {
  assert.deepEqual(OWASP_SCRYPT, { N: 131072, r: 8, p: 1 });
  assert.equal(needsRehash(await hashPassword('x', FAST)), true);
  assert.equal(needsRehash(await hashPassword('x', FAST), FAST), false);
  assert.equal(needsRehash('garbage'), true);
});

test('random passwords are long and varied', () => {
  const a = randomPassword();
  assert.equal(a.length, 20);
  assert.notEqual(a, randomPassword());
});
