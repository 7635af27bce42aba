import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  formatDate,
  parseBooleanCell,
  parseDateCell,
  parseDecimalCell,
  parseIntegerCell,
  textCell,
} from './values.ts';

const ok = <T>(value: T) => ({ ok: true, value });

test('dates: day first, in every separator, with or without leading zeros', () => {
  assert.deepEqual(parseDateCell('03/04/2024'), ok('2024-04-03'));
  assert.deepEqual(parseDateCell('3/4/2024'), ok('2024-04-03'));
  assert.deepEqual(parseDateCell('03-04-2024'), ok('2024-04-03'));
  assert.deepEqual(parseDateCell('03.04.2024'), ok('2024-04-03'));
  assert.deepEqual(parseDateCell(' 25/12/1999 '), ok('1999-12-25'));
  assert.deepEqual(parseDateCell('2024-04-03'), ok('2024-04-03'));
  assert.deepEqual(parseDateCell('2024-04-03T10:20:00Z'), ok('2024-04-03'));
  assert.deepEqual(parseDateCell('03/04/2024 08:30'), ok('2024-04-03'));
  assert.deepEqual(parseDateCell('ngày 3 tháng 4 năm 2024'), ok('2024-04-03'));
  assert.deepEqual(parseDateCell('29/02/2024'), ok('2024-02-29'));
});

test('dates: refuses two-digit years, month/year, mixed separators and impossible days', () => {
  for (const bad of [
    '03/04/24',
    '04/2024',
    '03/04-2024',
    '31/02/2024',
    '29/02/2023',
    '00/01/2024',
    '12/13/2024',
    'hôm qua',
    '',
  ]) {
    assert.deepEqual(parseDateCell(bad), { ok: false, rule: 'date' }, bad);
  }
  assert.equal(parseDateCell('01/01/1850').ok, false);
  assert.deepEqual(parseDateCell('01/01/2204'), {
    ok: false,
    rule: 'dateRange',
    params: { min: '01/01/1900', max: '31/12/2100' },
  });
  assert.deepEqual(parseDateCell(null), { ok: false, rule: 'required' });
  assert.deepEqual(parseDateCell(true), { ok: false, rule: 'date' });
});

test('dates: Date cells by their UTC date, and Excel serial numbers in a sane range', () => {
  assert.deepEqual(parseDateCell(new Date(Date.UTC(2024, 3, 3))), ok('2024-04-03'));
  assert.deepEqual(parseDateCell(new Date(Number.NaN)), { ok: false, rule: 'date' });
  assert.deepEqual(parseDateCell(45385), ok('2024-04-03'));
  assert.deepEqual(parseDateCell(45385.75), ok('2024-04-03')); // the time of day is dropped
  assert.deepEqual(parseDateCell(36526), ok('2000-01-01'));
  assert.deepEqual(parseDateCell(61), { ok: false, rule: 'date' }); // 1900: far likelier a count
  assert.deepEqual(parseDateCell(2024), { ok: false, rule: 'date' }); // a year, not 16/07/1905
  assert.deepEqual(parseDateCell(20240403), { ok: false, rule: 'date' });
});

const isoDateArb = fc
  .date({ min: new Date(Date.UTC(1910, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

test('property: formatted dates parse back, in every written form', () => {
  fc.assert(
    fc.property(isoDateArb, fc.constantFrom('/', '-', '.'), fc.boolean(), (iso, sep, unpadded) => {
      let text = formatDate(iso).replaceAll('/', sep);
      if (unpadded) text = text.replace(/^0/, '').replace(`${sep}0`, sep);
      assert.deepEqual(parseDateCell(text), ok(iso));
      assert.deepEqual(parseDateCell(iso), ok(iso));
      assert.deepEqual(parseDateCell(new Date(`${iso}T00:00:00Z`)), ok(iso));
      const serial = Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
      assert.deepEqual(parseDateCell(serial), ok(iso));
    }),
  );
});

test('integers: plain, signed, thousands grouped with . , or spaces', () => {
  assert.deepEqual(parseIntegerCell('1234567'), ok(1234567));
  assert.deepEqual(parseIntegerCell('1.234.567'), ok(1234567));
  assert.deepEqual(parseIntegerCell('1,234,567'), ok(1234567));
  assert.deepEqual(parseIntegerCell('1 234 567'), ok(1234567));
  assert.deepEqual(parseIntegerCell('1\u00A0234'), ok(1234));
  assert.deepEqual(parseIntegerCell('1.234'), ok(1234));
  assert.deepEqual(parseIntegerCell('-42'), ok(-42));
  assert.deepEqual(parseIntegerCell('+42'), ok(42));
  assert.deepEqual(parseIntegerCell(42), ok(42));
  assert.deepEqual(parseIntegerCell('-0'), ok(0));
  for (const bad of [
    '1,5',
    '1.5',
    '12.0',
    '1.23.456',
    '1.234,567',
    '12a',
    '1e3',
    '',
    '--1',
    '9007199254740993',
  ]) {
    assert.deepEqual(parseIntegerCell(bad), { ok: false, rule: 'integer' }, bad);
  }
  assert.deepEqual(parseIntegerCell(4.5), { ok: false, rule: 'integer' });
  assert.deepEqual(parseIntegerCell(null), { ok: false, rule: 'required' });
  assert.deepEqual(parseIntegerCell('-1', { min: 0 }), { ok: false, rule: 'minimum', params: { limit: 0 } });
  assert.deepEqual(parseIntegerCell(101, { max: 100 }), {
    ok: false,
    rule: 'maximum',
    params: { limit: 100 },
  });
});

test('property: integers round-trip in plain, Vietnamese and English grouping', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), fc.constantFrom('plain', 'vi', 'en', 'space'), (n, style) => {
      const grouped = Math.abs(n)
        .toString()
        .replace(
          /\B(?=(\d{3})+$)/g,
          style === 'vi' ? '.' : style === 'en' ? ',' : style === 'space' ? ' ' : '',
        );
      const text = `${n < 0 ? '-' : ''}${grouped}`;
      assert.deepEqual(parseIntegerCell(text), ok(n === 0 ? 0 : n));
    }),
  );
});

test('decimals: the disambiguation rule', () => {
  // Both marks: the last one is the decimal mark.
  assert.deepEqual(parseDecimalCell('1.234,5'), ok(1234.5));
  assert.deepEqual(parseDecimalCell('1,234.5'), ok(1234.5));
  assert.deepEqual(parseDecimalCell('1.234.567,89'), ok(1234567.89));
  // One mark, repeated: thousands.
  assert.deepEqual(parseDecimalCell('1.234.567'), ok(1234567));
  assert.deepEqual(parseDecimalCell('1,234,567'), ok(1234567));
  // One mark, once, not three digits after: the decimal mark.
  assert.deepEqual(parseDecimalCell('1,5'), ok(1.5));
  assert.deepEqual(parseDecimalCell('12.75'), ok(12.75));
  assert.deepEqual(parseDecimalCell('0,125'), ok(0.125)); // a thousands group cannot follow 0
  assert.deepEqual(parseDecimalCell('1234.567'), ok(1234.567)); // nor four digits
  // The ambiguous case: Vietnamese convention, unless the caller knows the mark.
  assert.deepEqual(parseDecimalCell('1.234'), ok(1234));
  assert.deepEqual(parseDecimalCell('1,234'), ok(1.234));
  assert.deepEqual(parseDecimalCell('1.234', { decimalMark: '.' }), ok(1.234));
  assert.deepEqual(parseDecimalCell('1,234', { decimalMark: '.' }), ok(1234));
  // Spaces group thousands; signs; plain numbers.
  assert.deepEqual(parseDecimalCell('1 234 567,5'), ok(1234567.5));
  assert.deepEqual(parseDecimalCell('-3,25'), ok(-3.25));
  assert.deepEqual(parseDecimalCell('42'), ok(42));
  assert.deepEqual(parseDecimalCell(2.5), ok(2.5));
  for (const bad of [
    '1,2,3.4.5',
    '12,34,567',
    '1.234,5.6',
    '5.',
    '1e5',
    '12%',
    '1.500.000 đ',
    'abc',
    '1..2',
  ]) {
    assert.deepEqual(parseDecimalCell(bad), { ok: false, rule: 'decimal' }, bad);
  }
  assert.deepEqual(parseDecimalCell(Number.NaN), { ok: false, rule: 'decimal' });
  assert.deepEqual(parseDecimalCell('0,5', { min: 1 }), { ok: false, rule: 'minimum', params: { limit: 1 } });
});

test('property: decimals round-trip in either convention when the mark is known', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -1e12, max: 1e12 }),
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom(',', '.'),
      fc.boolean(),
      (scaled, places, mark, grouped) => {
        const value = scaled / 10 ** places;
        const [whole = '', fraction] = Math.abs(scaled)
          .toString()
          .padStart(places + 1, '0')
          .replace(new RegExp(`(\\d{${places}})$`), places ? '.$1' : '$1')
          .split('.');
        const thousands = mark === ',' ? '.' : ',';
        const int = grouped ? whole.replace(/\B(?=(\d{3})+$)/g, thousands) : whole;
        const text = `${scaled < 0 ? '-' : ''}${int}${fraction === undefined ? '' : `${mark}${fraction}`}`;
        const parsed = parseDecimalCell(text, { decimalMark: mark });
        assert.ok(parsed.ok, text);
        assert.equal(parsed.value, value === 0 ? 0 : value, text);
        // The Vietnamese convention needs no hint.
        if (mark === ',') assert.deepEqual(parseDecimalCell(text), parsed);
      },
    ),
  );
});

test('booleans: Vietnamese and English words, ticks, 1/0', () => {
  for (const yes of ['có', 'Có', 'CÓ', 'co', 'x', 'X', 'yes', 'TRUE', '1', 'đúng']) {
    assert.deepEqual(parseBooleanCell(yes), ok(true), yes);
  }
  for (const no of ['không', 'Không', 'khong', 'no', 'False', '0', 'sai']) {
    assert.deepEqual(parseBooleanCell(no), ok(false), no);
  }
  // "có" typed with a combining acute accent (NFD), as macOS writes it
  assert.deepEqual(parseBooleanCell('co\u0301'), ok(true));
  assert.deepEqual(parseBooleanCell(true), ok(true));
  assert.deepEqual(parseBooleanCell(0), ok(false));
  assert.deepEqual(parseBooleanCell('maybe'), { ok: false, rule: 'boolean' });
  assert.deepEqual(parseBooleanCell(2), { ok: false, rule: 'boolean' });
  assert.deepEqual(parseBooleanCell(null), { ok: false, rule: 'required' });
});

test('text: strings normalised, other cells spelled out, length checked', () => {
  assert.deepEqual(textCell('  Nguye\u0302\u0303n  '), ok('Nguyễn'));
  assert.deepEqual(textCell(912345678), ok('912345678'));
  assert.deepEqual(textCell(1.5), ok('1.5'));
  assert.deepEqual(textCell(false), ok('FALSE'));
  assert.deepEqual(textCell(new Date(Date.UTC(2024, 3, 3))), ok('03/04/2024'));
  assert.deepEqual(textCell(null), { ok: false, rule: 'required' });
  assert.deepEqual(textCell('Đặc sản', { maxLength: 7 }), ok('Đặc sản'));
  assert.deepEqual(textCell('Đặc sản', { maxLength: 6 }), {
    ok: false,
    rule: 'maxLength',
    params: { limit: 6 },
  });
});
