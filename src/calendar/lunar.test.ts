import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromDayNumber, toDayNumber } from './dates.ts';
import { lunarToSolar, solarToLunar } from './lunar.ts';
import { seededRandom } from './test-random.ts';

const iso = (d: { day: number; month: number; year: number } | undefined) =>
  d && `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

describe('Vietnamese lunar calendar', () => {
  it('puts Tết on the published dates', () => {
    const tet: Record<number, string> = {
      2020: '2020-01-25',
      2021: '2021-02-12',
      2022: '2022-02-01',
      2023: '2023-01-22',
      2024: '2024-02-10',
      2025: '2025-01-29',
      2026: '2026-02-17',
      2027: '2027-02-06',
    };
    for (const [year, date] of Object.entries(tet)) {
      assert.equal(iso(lunarToSolar(1, 1, Number(year))), date, `Tết ${year}`);
    }
  });

  it('puts Giỗ Tổ Hùng Vương (10/3) on the published dates', () => {
    assert.equal(iso(lunarToSolar(10, 3, 2024)), '2024-04-18');
    assert.equal(iso(lunarToSolar(10, 3, 2025)), '2025-04-07');
    assert.equal(iso(lunarToSolar(10, 3, 2026)), '2026-04-26');
  });

  it('differs from the Chinese calendar (UTC+8) where Vietnam’s differs', () => {
    // 1985: Vietnam celebrated Tết on 21/1, China on 20/2. 2007: 17/2 vs 18/2. 2030: 2/2 vs 3/2.
    assert.equal(iso(lunarToSolar(1, 1, 1985)), '1985-01-21');
    assert.equal(iso(lunarToSolar(1, 1, 1985, false, 8)), '1985-02-20');
    assert.equal(iso(lunarToSolar(1, 1, 2007)), '2007-02-17');
    assert.equal(iso(lunarToSolar(1, 1, 2007, false, 8)), '2007-02-18');
    assert.equal(iso(lunarToSolar(1, 1, 2030)), '2030-02-02');
    assert.equal(iso(lunarToSolar(1, 1, 2030, false, 8)), '2030-02-03');
  });

  it('knows leap months (2023 had a leap 2nd month, 2025 a leap 6th month)', () => {
    assert.deepEqual(solarToLunar(22, 3, 2023), { day: 1, month: 2, year: 2023, leap: true });
    assert.deepEqual(solarToLunar(25, 7, 2025), { day: 1, month: 6, year: 2025, leap: true });
    assert.equal(lunarToSolar(1, 3, 2025, true), undefined);
  });

  it('round-trips random days from 1900 to 2100 (solar → lunar → solar)', () => {
    const random = seededRandom(20261126);
    const first = toDayNumber('1900-03-01');
    const last = toDayNumber('2100-12-31');
    for (let i = 0; i < 3000; i++) {
      const date = fromDayNumber(first + Math.floor(random() * (last - first)));
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      const l = solarToLunar(d, m, y);
      assert.ok(l.day >= 1 && l.day <= 30, `${date} → day ${l.day}`);
      assert.equal(iso(lunarToSolar(l.day, l.month, l.year, l.leap)), date, `${date} → ${JSON.stringify(l)}`);
    }
  });
});
