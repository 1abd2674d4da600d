import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayStoredPhone, normalisePhone, OLD_MOBILE_PREFIXES } from './phone.ts';

const stored = (input: string) => {
  const r = normalisePhone(input);
  return r.ok ? r.stored : r.problem;
};

describe('normalisePhone', () => {
  it('accepts the usual ways of writing a mobile number', () => {
    for (const input of [
      '0912 345 678',
      '0912.345.678',
      '0912-345-678',
      '+84 912.345.678',
      '84912345678',
      '+84912345678',
      '(+84) 912 345 678',
      '912345678',
      '+84 (0) 912 345 678',
      '+84 0912 345 678',
      '0084 912 345 678',
      '0084 (0) 912 345 678',
      '840912345678',
    ]) {
      assert.equal(stored(input), '84912345678', input);
    }
  });

  it('converts every old 11-digit prefix and keeps the last 7 digits', () => {
    for (const [old, replacement] of Object.entries(OLD_MOBILE_PREFIXES)) {
      const r = normalisePhone(`${old}1234567`);
      assert.ok(r.ok, old);
      assert.equal(r.stored, `84${replacement.slice(1)}1234567`);
      assert.equal(r.convertedFrom, `${old}1234567`);
      assert.equal(r.mobile, true);
    }
    assert.equal(stored('+84 168 123 4567'), '84381234567');
    assert.equal(stored('841681234567'), '84381234567');
    assert.equal(stored('+84 (0) 168 123 4567'), '84381234567');
    assert.equal(stored('0084 168 123 4567'), '84381234567');
  });

  it('accepts fixed lines but marks them as not mobile', () => {
    const r = normalisePhone('0232 3822 123');
    assert.ok(r.ok);
    assert.equal(r.stored, '842323822123');
    assert.equal(r.mobile, false);
    assert.equal(r.display, '0232 382 2123');
  });

  it('rejects anything else with a Vietnamese explanation', () => {
    for (const [input, problem] of [
      ['', 'empty'],
      ['0912 abc 678', 'characters'],
      ['0912 345 67', 'invalid'],
      ['0112 345 6789', 'unknown_old_prefix'],
      ['0102 345 678', 'invalid'],
      ['+1 415 555 0100', 'invalid'],
      ['091234567890', 'invalid'],
      ['+84 (0) 0912 345 678', 'invalid'],
      ['0085 912 345 678', 'invalid'],
    ] as const) {
      const r = normalisePhone(input);
      assert.equal(r.ok, false, input);
      if (!r.ok) {
        assert.equal(r.problem, problem, input);
        assert.match(r.userMessage, /[ố]|Vui lòng|Đầu số/);
      }
    }
  });

  it('displays stored numbers grouped', () => {
    assert.equal(displayStoredPhone('84912345678'), '0912 345 678');
  });
});
