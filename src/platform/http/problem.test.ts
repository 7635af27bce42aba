import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCatalogue } from '../i18n/index.ts';
import { platformMessages } from '../i18n/platform.messages.ts';
import { buildProblem, fieldsFromValidation } from './problem.ts';

test('Ajv errors become the fields at fault, one per field and rule', () => {
  const fields = fieldsFromValidation(
    [
      { keyword: 'required', instancePath: '', params: { missingProperty: 'codes' } },
      { keyword: 'enum', instancePath: '/era', params: { allowedValues: ['2025', 'pre2025'] } },
      { keyword: 'pattern', instancePath: '/codes/3', params: { pattern: '^x$' } },
      { keyword: 'pattern', instancePath: '/codes/3', params: { pattern: '^x$' } },
      { keyword: 'maximum', instancePath: '/limit', params: { limit: 10000 } },
      { keyword: 'additionalProperties', instancePath: '/address', params: { additionalProperty: 'zip' } },
      { keyword: 'anyOf', instancePath: '/x', params: {} },
    ],
    'body',
  );
  assert.deepEqual(fields, [
    { in: 'body', name: 'codes', rule: 'required', params: {} },
    { in: 'body', name: 'era', rule: 'enum', params: { allowed: '2025, pre2025' } },
    { in: 'body', name: 'codes/3', rule: 'pattern', params: {} },
    { in: 'body', name: 'limit', rule: 'maximum', params: { limit: 10000 } },
    { in: 'body', name: 'address/zip', rule: 'additionalProperties', params: {} },
    { in: 'body', name: 'x', rule: 'invalid', params: {} },
  ]);
  assert.equal(
    fieldsFromValidation(
      [{ keyword: 'type', instancePath: '/limit', params: { type: 'integer' } }],
      'querystring',
    )[0]?.in,
    'query',
  );
});

test('a problem carries type, translated title, status, code and translated field details', () => {
  const catalogue = createCatalogue([platformMessages]);
  const problem = buildProblem({
    t: catalogue.translator('en'),
    status: 400,
    code: 'validation_failed',
    fields: [{ in: 'query', name: 'limit', rule: 'maximum', params: { limit: 5 } }],
    instance: '/api/v1/x',
    requestId: 'r1',
  });
  assert.deepEqual(problem, {
    type: 'urn:ocop:problem:validation_failed',
    title: 'The request data is not valid',
    status: 400,
    code: 'validation_failed',
    errors: [{ in: 'query', name: 'limit', rule: 'maximum', detail: 'Must be at most 5' }],
    instance: '/api/v1/x',
    requestId: 'r1',
  });
  const vi = buildProblem({ t: catalogue.translator('vi'), status: 404, code: 'route_not_found' });
  assert.equal(vi.title, 'Không tìm thấy đường dẫn');
});
