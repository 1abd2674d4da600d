import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskName, matchesSecondFactor } from './privacy.ts';
import { WindowLimiter } from './window-limiter.ts';

describe('maskName', () => {
  it('keeps the family name and initials of the rest', () => {
    assert.equal(maskName('Nguyễn Văn An'), 'Nguyễn V. A.');
    assert.equal(maskName('  lê   thị   ánh  tuyết '), 'lê T. Á. T.');
    assert.equal(maskName('Đặng Đức'), 'Đặng Đ.');
    assert.equal(maskName('Hà'), 'H.');
    assert.equal(maskName(''), '');
  });
});

describe('matchesSecondFactor', () => {
  it('accepts the last 4 digits of the phone or of the ID number only', () => {
    assert.equal(matchesSecondFactor('5678', '84912345678', '001090001234'), true);
    assert.equal(matchesSecondFactor(' 12 34 ', '84912345678', '001090001234'), true);
    assert.equal(matchesSecondFactor('１２３４', '84912345678', '001090001234'), true);
    assert.equal(matchesSecondFactor('0000', '84912345678', '001090001234'), false);
    assert.equal(matchesSecondFactor('345678', '84912345678', '001090001234'), false);
    assert.equal(matchesSecondFactor('', '84912345678', '001090001234'), false);
  });
});

describe('WindowLimiter', () => {
  it('allows the limit per key and window, then tells when to come back', () => {
    const limiter = new WindowLimiter(2, 60_000);
    const t0 = 1_800_000_000_000;
    assert.equal(limiter.hit('a', t0).allowed, true);
    assert.equal(limiter.hit('a', t0 + 1).allowed, true);
    const third = limiter.hit('a', t0 + 2);
    assert.equal(third.allowed, false);
    assert.ok(third.retryAfterSeconds >= 1 && third.retryAfterSeconds <= 60);
    assert.equal(limiter.hit('b', t0 + 3).allowed, true);
    assert.equal(limiter.hit('a', t0 + 60_000).allowed, true, 'a new window starts afresh');
  });
});
