import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phoneState } from './phone-state.ts';

describe('intake phone field', () => {
  it('shows the normalised number as it is typed, with the conversion of old numbers', () => {
    assert.deepEqual(phoneState('0168 123 4567'), {
      ok: true,
      display: '0381 234 567',
      mobile: true,
      convertedFrom: '01681234567',
    });
    assert.deepEqual(phoneState('+84 912.345.678'), { ok: true, display: '0912 345 678', mobile: true });
    assert.deepEqual(phoneState('0232 3822 123'), { ok: true, display: '0232 382 2123', mobile: false });
  });

  it('stays quiet while a number is still being typed, then explains', () => {
    assert.deepEqual(phoneState(''), { ok: false, message: null });
    assert.deepEqual(phoneState('0912 34'), { ok: false, message: null });
    const wrong = phoneState('0802 345 678');
    assert.equal(wrong.ok, false);
    assert.match(wrong.ok ? '' : (wrong.message ?? ''), /không hợp lệ/);
    const letters = phoneState('09a');
    assert.match(letters.ok ? '' : (letters.message ?? ''), /chỉ gồm chữ số/);
  });
});
