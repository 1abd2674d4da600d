/**
 * Vietnamese phone numbers (domain-vn.md §8): accepts 0912 345 678, +84 912.345.678, 84912345678, the
 * country code written with the trunk 0 kept (+84 (0) 912 345 678, +84 0912 345 678), the international
 * prefix 00 (0084 912 345 678) and the old 11-digit mobile numbers (converted with the 2018–2019 prefix
 * table); stores 84XXXXXXXXX.
 * Shared by the server and the intake screen, which shows the normalised number as the officer types.
 */

/** Old 11-digit mobile prefixes (01xx) → the 10-digit prefixes that replaced them. The last 7 digits stay. */
export const OLD_MOBILE_PREFIXES: Readonly<Record<string, string>> = {
  // Viettel
  '0162': '032',
  '0163': '033',
  '0164': '034',
  '0165': '035',
  '0166': '036',
  '0167': '037',
  '0168': '038',
  '0169': '039',
  // MobiFone
  '0120': '070',
  '0121': '079',
  '0122': '077',
  '0126': '076',
  '0128': '078',
  // VinaPhone
  '0123': '083',
  '0124': '084',
  '0125': '085',
  '0127': '081',
  '0129': '082',
  // Vietnamobile
  '0186': '056',
  '0188': '058',
  // Gmobile
  '0199': '059',
};

/** libphonenumber region_VN mobile pattern, national significant number (9 digits). */
const MOBILE_NSN =
  /^(?:(?:5(?:2[238]|59)|89[6-9]|99[013-9])\d{6}|(?:3\d|5[689]|7[06-9]|8[1-8]|9[0-8])\d{7})$/;
/** Fixed lines: area code 2xx + 7 digits (10-digit national significant number). */
const FIXED_NSN = /^2(?:0[3-9]|1[0-689]|2[0-25-9]|[3-9]\d)\d{7}$/;

export type PhoneProblem = 'empty' | 'characters' | 'invalid' | 'unknown_old_prefix';

export type PhoneResult =
  | {
      ok: true;
      /** 84XXXXXXXXX: how we store it and what Zalo expects. */
      stored: string;
      /** 0XXXXXXXXX grouped for people: "0912 345 678". */
      display: string;
      mobile: boolean;
      /** Set when an old 11-digit number was converted. */
      convertedFrom?: string;
    }
  | { ok: false; problem: PhoneProblem; message: string; userMessage: string };

const problems: Record<PhoneProblem, { message: string; userMessage: string }> = {
  empty: { message: 'phone is required', userMessage: 'Vui lòng nhập số điện thoại liên hệ.' },
  characters: {
    message: 'phone may contain only digits, spaces, dots, dashes, parentheses and a leading +',
    userMessage:
      'Số điện thoại chỉ gồm chữ số (có thể có dấu cách, dấu chấm, dấu gạch ngang hoặc +84 ở đầu).',
  },
  invalid: {
    message: 'phone is not a valid Vietnamese mobile or fixed-line number',
    userMessage: 'Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678 hoặc +84 912 345 678.',
  },
  unknown_old_prefix: {
    message: 'phone has an 11-digit prefix that is not in the 2018 conversion table',
    userMessage: 'Đầu số 11 số này không có trong bảng chuyển đổi sang 10 số. Vui lòng kiểm tra lại.',
  },
};

function fail(problem: PhoneProblem): PhoneResult {
  return { ok: false, problem, ...problems[problem] };
}

export function normalisePhone(input: string): PhoneResult {
  const raw = input.normalize('NFKC').trim();
  if (raw === '') {
    return fail('empty');
  }
  const compact = raw.replace(/[\s.\-()]/g, '');
  if (!/^\+?\d+$/.test(compact)) {
    return fail('characters');
  }
  const plus = compact.startsWith('+');
  const digits = raw.replace(/\D/g, '');
  // What follows the country code 84, when there is one.
  let afterCountryCode: string | undefined;
  if (plus) {
    if (!digits.startsWith('84')) {
      return fail('invalid');
    }
    afterCountryCode = digits.slice(2);
  } else if (digits.startsWith('0084')) {
    afterCountryCode = digits.slice(4);
  } else if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12)) {
    afterCountryCode = digits.slice(2);
  }
  let national: string;
  if (afterCountryCode !== undefined) {
    // "+84 (0) 912…" and "+84 0912…" keep the trunk 0 that the country code replaces.
    national = afterCountryCode.startsWith('0') ? afterCountryCode : `0${afterCountryCode}`;
  } else if (digits.startsWith('0')) {
    national = digits;
  } else if (digits.length === 9 || digits.length === 10) {
    national = `0${digits}`;
  } else {
    return fail('invalid');
  }

  let convertedFrom: string | undefined;
  if (national.length === 11 && national.startsWith('01')) {
    const replacement = OLD_MOBILE_PREFIXES[national.slice(0, 4)];
    if (!replacement) {
      return fail('unknown_old_prefix');
    }
    convertedFrom = national;
    national = replacement + national.slice(4);
  }

  const nsn = national.slice(1);
  const mobile = national.length === 10 && MOBILE_NSN.test(nsn);
  const fixed = national.length === 11 && FIXED_NSN.test(nsn);
  if (!mobile && !fixed) {
    return fail('invalid');
  }
  return {
    ok: true,
    stored: `84${nsn}`,
    display: groupNational(national),
    mobile,
    ...(convertedFrom ? { convertedFrom } : {}),
  };
}

/** 84XXXXXXXXX (stored form) → "0912 345 678". */
export function displayStoredPhone(stored: string): string {
  return groupNational(`0${stored.slice(2)}`);
}

/** 4-3-rest grouping: "0912 345 678" (mobile), "0232 382 1234" (fixed line). */
function groupNational(national: string): string {
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}

/** The last 4 digits, the only part of a phone number the public look-up may use or show. */
export function phoneLast4(stored: string): string {
  return stored.slice(-4);
}
