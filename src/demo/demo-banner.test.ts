import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoBanner } from './demo-banner.ts';

describe('the start banner', () => {
  it('lists every demo account, the ward desks with their agency, as the README shows them', () => {
    const lines = demoBanner('http://localhost:3000').split('\n');
    const line = (username: string) => lines.find((l) => l.trim().startsWith(`${username} `))!;
    assert.equal(line('quantri'), '    quantri            admin         Nguyễn Văn Quản');
    assert.equal(
      line('donghoi.tiepnhan'),
      '    donghoi.tiepnhan   desk_officer  Đặng Thị Hới      (UBND phường Đồng Hới)',
    );
    assert.match(line('dongha.tiepnhan'), /Bùi Thị Hà +\(UBND phường Đông Hà\)$/);
    assert.ok(lines.includes('  Demo integration API key (Trung tâm PVHCC tỉnh Quảng Trị):'));
  });
});
