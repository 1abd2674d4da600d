import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanMultiline, cleanText, foldForSearch, matchesSearch } from './text.ts';

describe('text rules shared with the officer app', () => {
  it('finds procedures without accents, in any case and word order', () => {
    const name = 'Chứng thực bản sao từ bản chính giấy tờ, văn bản';
    assert.ok(matchesSearch(name, 'cap ban sao') === false);
    assert.ok(matchesSearch(name, 'chung thuc ban sao'));
    assert.ok(matchesSearch(name, 'BẢN SAO chứng'));
    assert.ok(matchesSearch('Đăng ký khai sinh', 'dang ky khai sinh'));
    assert.ok(matchesSearch('Đăng ký khai sinh', 'đăng ký'));
    assert.ok(matchesSearch('Cấp bản sao Trích lục hộ tịch', 'cap ban sao'));
    assert.ok(!matchesSearch('Đăng ký kết hôn', 'khai sinh'));
    assert.ok(matchesSearch('anything', '   '));
  });

  it('folds NFD and NFC input the same way', () => {
    assert.equal(foldForSearch('Nguye\u0302\u0303n'), foldForSearch('Nguyễn'));
    assert.equal(foldForSearch('  Đỗ   Thị  '), 'do thi');
  });

  it('cleans text to NFC with single spaces, keeping paragraphs in notes', () => {
    assert.equal(cleanText('  Nguye\u0302\u0303n \t Văn\u00a0An '), 'Nguyễn Văn An');
    assert.equal(cleanMultiline(' dòng 1  \r\n\r\n\r\n  dòng 2 '), 'dòng 1\n\ndòng 2');
  });
});
