import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldForSearch } from '../contracts/text.ts';
import { smsSendableAt } from './quiet-hours.ts';
import { removeDiacritics, smsCost, smsText } from './sms-text.ts';

describe('SMS text and cost', () => {
  const facts = {
    dossierCode: '000.00.01.H50-261126-0001',
    status: 2 as const,
    action: 'receive',
    dueDate: '2026-12-01',
  };

  it('writes the status short, and unaccented within one GSM-7 segment', () => {
    const accented = smsText(facts, { unaccented: false });
    assert.equal(
      accented,
      'Hồ sơ 000.00.01.H50-261126-0001 đã được tiếp nhận. Hẹn trả kết quả ngày 01/12/2026.',
    );
    assert.deepEqual(smsCost(accented), { encoding: 'ucs2', units: 83, segments: 2 });
    const plain = smsText(facts, { unaccented: true });
    assert.equal(
      plain,
      'Ho so 000.00.01.H50-261126-0001 da duoc tiep nhan. Hen tra ket qua ngay 01/12/2026.',
    );
    assert.deepEqual(smsCost(plain), { encoding: 'gsm7', units: 83, segments: 1 });
  });

  it('fits every status in one unaccented SMS', () => {
    for (const status of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const) {
      const text = smsText({ ...facts, status, amountVnd: 1_500_000 }, { unaccented: true });
      assert.equal(smsCost(text).encoding, 'gsm7', text);
      assert.equal(smsCost(text).segments, 1, text);
    }
  });

  it('removes every Vietnamese diacritic, in NFC and NFD, and maps đ/Đ', () => {
    const all = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ';
    assert.equal(
      removeDiacritics(all),
      'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd',
    );
    assert.equal(
      removeDiacritics(all.toUpperCase()),
      'AAAAAAAAAAAAAAAAAEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYYD',
    );
    assert.equal(removeDiacritics('Nguyễn Văn Đức'.normalize('NFD')), 'Nguyen Van Duc');
  });

  it('gives text back in NFC, unlike the search folding that shares its first steps', () => {
    // Hangul has no marks to strip but decomposes into jamo: only the final NFC puts the syllables together.
    assert.equal(removeDiacritics('Đức 한국'), 'Duc 한국');
    assert.equal(removeDiacritics('Đức 한국'), removeDiacritics('Đức 한국').normalize('NFC'));
    assert.equal(foldForSearch('Đức  한국'), 'duc 한국'.normalize('NFD'));
  });

  it('counts segments at the GSM-7 and UCS-2 boundaries', () => {
    assert.deepEqual(smsCost(''), { encoding: 'gsm7', units: 0, segments: 1 });
    assert.equal(smsCost('a'.repeat(160)).segments, 1);
    assert.equal(smsCost('a'.repeat(161)).segments, 2);
    assert.equal(smsCost('a'.repeat(306)).segments, 2);
    assert.equal(smsCost('a'.repeat(307)).segments, 3);
    assert.equal(smsCost('ư'.repeat(70)).segments, 1);
    assert.equal(smsCost('ư'.repeat(71)).segments, 2);
    assert.equal(smsCost('ư'.repeat(134)).segments, 2);
    assert.equal(smsCost('ư'.repeat(135)).segments, 3);
    // One accented letter turns the whole message into UCS-2.
    assert.deepEqual(smsCost(`${'a'.repeat(69)}ạ`), { encoding: 'ucs2', units: 70, segments: 1 });
  });

  it('counts GSM-7 extension characters twice and never splits them between parts', () => {
    assert.deepEqual(smsCost('€'.repeat(80)), { encoding: 'gsm7', units: 160, segments: 1 });
    assert.equal(smsCost(`${'a'.repeat(159)}€`).segments, 2);
    // 152 septets + an escape pair: 154 does not fit part one (153), so the pair starts part two.
    assert.equal(smsCost(`${'a'.repeat(152)}[${'a'.repeat(152)}`).segments, 3);
    assert.equal(smsCost(`${'a'.repeat(151)}[${'a'.repeat(153)}`).segments, 2);
    // Characters outside GSM-7 that look harmless: backquote, curly quotes.
    assert.equal(smsCost('`').encoding, 'ucs2');
    assert.equal(smsCost('“a”').encoding, 'ucs2');
  });
});

describe('SMS quiet hours (Asia/Ho_Chi_Minh)', () => {
  const quiet = { enabled: true, start: '21:00', end: '07:00' };
  const at = (s: string) => new Date(s);

  it('lets an SMS go outside the window and postpones one inside it to its end', () => {
    assert.deepEqual(smsSendableAt(at('2026-03-09T20:59:00+07:00'), quiet), at('2026-03-09T20:59:00+07:00'));
    assert.deepEqual(smsSendableAt(at('2026-03-09T21:00:00+07:00'), quiet), at('2026-03-10T07:00:00+07:00'));
    assert.deepEqual(smsSendableAt(at('2026-03-09T23:59:00+07:00'), quiet), at('2026-03-10T07:00:00+07:00'));
    // After midnight (16:30 UTC the day before): the window ends the same Vietnamese day.
    assert.deepEqual(smsSendableAt(at('2026-03-10T00:30:00+07:00'), quiet), at('2026-03-10T07:00:00+07:00'));
    assert.deepEqual(smsSendableAt(at('2026-03-10T06:59:00+07:00'), quiet), at('2026-03-10T07:00:00+07:00'));
    assert.deepEqual(smsSendableAt(at('2026-03-10T07:00:00+07:00'), quiet), at('2026-03-10T07:00:00+07:00'));
  });

  it('handles a window within one day, and a switched-off window', () => {
    const lunch = { enabled: true, start: '11:30', end: '13:30' };
    assert.deepEqual(smsSendableAt(at('2026-03-09T12:00:00+07:00'), lunch), at('2026-03-09T13:30:00+07:00'));
    assert.deepEqual(smsSendableAt(at('2026-03-09T14:00:00+07:00'), lunch), at('2026-03-09T14:00:00+07:00'));
    assert.deepEqual(
      smsSendableAt(at('2026-03-09T23:00:00+07:00'), { ...quiet, enabled: false }),
      at('2026-03-09T23:00:00+07:00'),
    );
  });
});
