import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal } from '../../platform/auth.ts';
import { type IdentityAction, identityPolicy, type Role } from './policy.ts';

const who = (role: Role, scopeCode: string | null = null): Principal => ({
  userId: `u-${role}`,
  email: `${role}@x.vn`,
  name: role,
  role,
  scopeCode,
  producerId: role === 'producer' ? 'p1' : null,
  via: 'session',
});

const admin = who('admin');
const caMauOffice = who('province_office', '96');
const hanoiOffice = who('province_office', '01');
const anXuyen = who('commune_officer', '32002'); // a commune of Cà Mau
const council = who('council_member');
const producer = who('producer');
const place = (p: Principal) => ({
  provinceCode: p.scopeCode === '32002' ? '96' : p.scopeCode?.length === 2 ? p.scopeCode : null,
});

test('identity policy, table-driven', () => {
  const officerInCaMau = { role: 'commune_officer' as const, provinceCode: '96' };
  const officerInHanoi = { role: 'commune_officer' as const, provinceCode: '01' };
  const anAdmin = { role: 'admin' as const, provinceCode: null };
  const aCouncilMember = { role: 'council_member' as const, provinceCode: null };
  const cases: [Principal | null, IdentityAction, boolean][] = [
    [null, { action: 'token.manage' }, false],
    [null, { action: 'audit.read' }, false],
    [admin, { action: 'audit.read' }, true],
    [admin, { action: 'outbox.read' }, true],
    [admin, { action: 'user.create', target: anAdmin }, true],
    [caMauOffice, { action: 'audit.read' }, true],
    [anXuyen, { action: 'audit.read' }, false],
    [council, { action: 'audit.read' }, false],
    [producer, { action: 'audit.read' }, false],
    [caMauOffice, { action: 'outbox.read' }, false],
    [caMauOffice, { action: 'user.list' }, true],
    [anXuyen, { action: 'user.list' }, false],
    [caMauOffice, { action: 'user.create', target: officerInCaMau }, true],
    [caMauOffice, { action: 'user.create', target: officerInHanoi }, false],
    [hanoiOffice, { action: 'user.create', target: officerInHanoi }, true],
    [caMauOffice, { action: 'user.create', target: anAdmin }, false],
    [caMauOffice, { action: 'user.create', target: aCouncilMember }, true],
    [caMauOffice, { action: 'user.update', target: { role: 'province_office', provinceCode: '96' } }, true],
    [caMauOffice, { action: 'user.update', target: { role: 'province_office', provinceCode: '01' } }, false],
    [anXuyen, { action: 'user.create', target: officerInCaMau }, false],
    [producer, { action: 'user.read', target: officerInCaMau }, false],
    [
      caMauOffice,
      { action: 'registration.decide', target: { provinceCode: '96', communeCode: '32002' } },
      true,
    ],
    [
      hanoiOffice,
      { action: 'registration.decide', target: { provinceCode: '96', communeCode: '32002' } },
      false,
    ],
    [anXuyen, { action: 'registration.decide', target: { provinceCode: '96', communeCode: '32002' } }, true],
    [anXuyen, { action: 'registration.decide', target: { provinceCode: '96', communeCode: '32005' } }, false],
    [council, { action: 'registration.decide', target: { provinceCode: '96', communeCode: '32002' } }, false],
    [anXuyen, { action: 'registration.list' }, true],
    [producer, { action: 'registration.list' }, false],
    [producer, { action: 'token.manage' }, true],
    [council, { action: 'token.manage' }, true],
  ];
  for (const [principal, request, allowed] of cases) {
    assert.equal(
      identityPolicy(principal, request, principal ? place(principal) : { provinceCode: null }),
      allowed,
      `${principal?.role ?? 'anonymous'} ${JSON.stringify(request)}`,
    );
  }
});
