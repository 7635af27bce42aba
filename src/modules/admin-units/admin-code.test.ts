import assert from 'node:assert/strict';
import { test } from 'node:test';
import { districtMerge, levelExistsInEra, levelOfCode } from './admin-code.ts';

test('the level of a code follows from its length', () => {
  const cases: [string, string | undefined][] = [
    ['96', 'province'],
    ['01', 'province'],
    ['964', 'district'],
    ['32002', 'commune'],
    ['00004', 'commune'],
    ['9', undefined],
    ['9600', undefined],
    ['320021', undefined],
    ['9a', undefined],
    ['', undefined],
    [' 96', undefined],
  ];
  for (const [code, level] of cases) assert.equal(levelOfCode(code), level, code);
});

test('districts exist only before 2025', () => {
  assert.equal(levelExistsInEra('district', '2025'), false);
  assert.equal(levelExistsInEra('district', 'pre2025'), true);
  assert.equal(levelExistsInEra('commune', '2025'), true);
  assert.equal(levelExistsInEra('province', 'pre2025'), true);
});

test('a district merges fully only when all its communes went whole into one new commune', () => {
  const full = [
    { oldCode: 'a', newCode: 'X', merge: 'full' as const },
    { oldCode: 'b', newCode: 'X', merge: 'full' as const },
  ];
  assert.equal(districtMerge(full, 'X'), 'full');
  assert.equal(districtMerge([...full, { oldCode: 'c', newCode: 'Y', merge: 'full' }], 'X'), 'partial');
  assert.equal(districtMerge([{ oldCode: 'a', newCode: 'X', merge: 'partial' }], 'X'), 'partial');
  assert.equal(
    districtMerge(
      [
        { oldCode: 'a', newCode: 'X', merge: 'partial' },
        { oldCode: 'a', newCode: 'Y', merge: 'partial' },
      ],
      'X',
    ),
    'partial',
  );
  assert.equal(districtMerge([], 'X'), 'partial');
});
