import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fragment, h, raw, renderDocument } from './jsx.ts';

test('text and attributes are escaped, raw() is not', () => {
  const html = h(
    'a',
    { href: '/x?a=1&b="2"', title: "<it's>" },
    '<script>alert(1)</script>',
    raw('<b>ok</b>'),
  );
  assert.equal(
    html.value,
    '<a href="/x?a=1&amp;b=&quot;2&quot;" title="&lt;it&#39;s&gt;">&lt;script&gt;alert(1)&lt;/script&gt;<b>ok</b></a>',
  );
});

test('void elements, booleans, null and nested arrays', () => {
  const html = h(
    'div',
    { className: 'c', hidden: true, 'data-x': false, id: null },
    h('input', { required: true, value: 'a"b' }),
    [['x', null], false, 0],
  );
  assert.equal(html.value, '<div class="c" hidden><input required value="a&quot;b">x0</div>');
});

test('components and fragments', () => {
  const Item = (props: { label: string }) => h('li', null, props.label);
  const list = h('ul', null, h(Fragment, null, h(Item, { label: 'một' }), h(Item, { label: 'hai' })));
  assert.equal(renderDocument(list), '<!doctype html><ul><li>một</li><li>hai</li></ul>');
});

test('an attribute name that could break out of the tag is refused', () => {
  assert.throws(() => h('div', { 'onclick="x"': 1 }), /Invalid attribute name/);
});
