import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../calendar/test-random.ts';
import { codeFromLookupUrl, findDossierCodes } from './codes-in-text.ts';

const CODE = '000.17.22.H56-210531-0001';

describe('findDossierCodes', () => {
  it('finds a code inside a Vietnamese sentence', () => {
    assert.deepEqual(findDossierCodes(`tra cứu hồ sơ ${CODE} giúp tôi`), [CODE]);
  });

  it('tolerates lower case, spaces, missing and extra separators', () => {
    for (const typed of [
      '000.17.22.h56-210531-0001',
      '000 17 22 H56 210531 0001',
      '0001722H562105310001',
      '000..17.22.H56--210531--0001',
      '000.17.22.H56 - 210531 - 0001',
      '000-17-22-H56-210531-0001',
      '000.17.22.H56.210531.0001',
      '000.17.22.H 56-210531-0001',
    ]) {
      assert.deepEqual(findDossierCodes(typed), [CODE], typed);
    }
  });

  it('answers a code already in canonical form as the full search of the text does', () => {
    const random = seededRandom(31);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
    for (let i = 0; i < 200; i++) {
      const letter = String.fromCharCode(65 + Math.floor(random() * 26));
      const code = `${digits(3)}.${digits(2)}.${digits(2)}.${letter}${digits(2)}-${digits(6)}-${digits(4)}`;
      // Surrounded by text, the code goes through the search; alone, through the shortcut.
      assert.deepEqual(findDossierCodes(code), findDossierCodes(`mã ${code}.`), code);
      assert.deepEqual(findDossierCodes(code), [code]);
    }
  });

  it('reads full-width characters and en dashes', () => {
    assert.deepEqual(findDossierCodes('０００．１７．２２．Ｈ５６－２１０５３１－０００１'), [CODE]);
    assert.deepEqual(findDossierCodes('000.17.22.H56–210531–0001'), [CODE]);
  });

  it('finds several codes once each, in order', () => {
    const other = '000.18.80.H50-261126-0042';
    assert.deepEqual(findDossierCodes(`${other}, ${CODE} và ${other.toLowerCase()}`), [other, CODE]);
  });

  it('reads codes of agencies outside the national skeleton when the dashes are there', () => {
    assert.deepEqual(findDossierCodes('mã h50.242-261126-0007 nhé'), ['H50.242-261126-0007']);
    // Seven digits inside the identifier hold a national skeleton (151.56.83.H50-…): the whole identifier wins.
    assert.deepEqual(findDossierCodes('000.1515683.H50-261208-0001'), ['000.1515683.H50-261208-0001']);
    assert.deepEqual(findDossierCodes('hồ sơ 000.1515683.h50 - 261208 - 0001'), [
      '000.1515683.H50-261208-0001',
    ]);
  });

  it('ignores numbers that are not codes', () => {
    assert.deepEqual(findDossierCodes('hướng dẫn'), []);
    assert.deepEqual(findDossierCodes('0912345678'), []);
    assert.deepEqual(findDossierCodes('000.17.22.H56-210531-001'), [], 'sequence too short');
    assert.ok(!findDossierCodes('1000.17.22.H56-210531-0001').includes(CODE), 'digit before the code');
    assert.deepEqual(findDossierCodes('000.17.22.H56-210531-00012'), [], 'digit after the code');
  });

  it('takes at most five codes from one message', () => {
    const many = Array.from({ length: 8 }, (_, i) => `000.17.22.H56-210531-000${i}`).join(' ');
    assert.equal(findDossierCodes(many).length, 5);
  });
});

describe('codeFromLookupUrl', () => {
  it('reads the code of our own look-up links only', () => {
    const base = 'https://dichvucong.example.gov.vn';
    assert.equal(codeFromLookupUrl(`${base}/tra-cuu/${CODE}?sig=abc`, base), CODE);
    assert.equal(codeFromLookupUrl(`${base}/tra-cuu/${encodeURIComponent(CODE)}`, base), CODE);
    assert.equal(codeFromLookupUrl(`https://evil.example/tra-cuu/${CODE}`, base), undefined);
    assert.equal(codeFromLookupUrl('not a url', base), undefined);
  });
});
