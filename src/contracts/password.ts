/**
 * The one password policy of officer accounts, shared by the API, the CLI and the officer app's forms:
 * 8–128 characters with a letter and a digit, and not guessable — not the published demo password, not
 * a common password (compared without case and symbols, so "Matkhau@123" is "matkhau123"), not a common word
 * with digits around it, not the username.
 */

/** The demo accounts' password, printed in the README and on every start with demo data. */
export const DEMO_PASSWORD = 'MotCua@2026';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Words people build passwords from here; with digits before or after them they are still guessed first. */
const COMMON_WORDS = [
  'password',
  'passw0rd',
  'matkhau',
  'matkhaumoi',
  'admin',
  'administrator',
  'quantri',
  'quantrivien',
  'user',
  'motcua',
  'mot1cua',
  'tiepnhan',
  'chuyenvien',
  'lanhdao',
  'canbo',
  'congchuc',
  'vienchuc',
  'ubnd',
  'hanhchinh',
  'dichvucong',
  'vietnam',
  'hanoi',
  'saigon',
  'quangtri',
  'quangbinh',
  'donghoi',
  'hue',
  'danang',
  'abc',
  'abcd',
  'abcde',
  'abcdef',
  'abcdefg',
  'abcdefgh',
  'qwerty',
  'qwertyuiop',
  'asdf',
  'asdfgh',
  'zxcvbn',
  'iloveyou',
  'anhyeuem',
  'emyeuanh',
  'yeuem',
  'welcome',
  'letmein',
  'login',
  'test',
  'demo',
  'guest',
  'zalo',
  'hello',
  'xinchao',
  'master',
  'secret',
  'changeme',
  'default',
  'aaaa',
  'aaaaaaaa',
  'a',
  'aa',
  'aaa',
  'x',
  'q',
  'z',
];

/** Whole passwords seen at the top of leaked lists and of Vietnamese ones, as compared (lower case, a–z 0–9). */
const COMMON_PASSWORDS = [
  'motcua2026',
  'motcua2025',
  'a123456789',
  'a12345678',
  'abc123456',
  '1q2w3e4r',
  '1q2w3e4r5t',
  'q1w2e3r4',
  'q1w2e3r4t5',
  '1qaz2wsx',
  'zaq12wsx',
  'qazwsx123',
  '123qwe123',
  'qwe123456',
  'asd123456',
  'zxc123456',
  'abcd1234',
  'abcd12345',
  '12345abc',
  '123456abc',
  '123456a',
  '1234567a',
  '12345678a',
  '123456789a',
  'aa123456',
  'trustno1',
  'p4ssw0rd',
  'pa55word',
  'passw0rd1',
  'adm1n123',
  'ad123456',
  'hoilamgi',
  'khongbiet',
  'bietroi',
];

const WORDS = new Set(COMMON_WORDS);
const PASSWORDS = new Set(COMMON_PASSWORDS);

/** What is wrong with a password, or undefined when it may be used. */
export function passwordProblem(
  password: string,
  context: { username?: string } = {},
): { message: string; userMessage: string } | undefined {
  if (
    password.length < PASSWORD_MIN_LENGTH ||
    password.length > PASSWORD_MAX_LENGTH ||
    !/\p{L}/u.test(password) ||
    !/\d/.test(password)
  ) {
    return {
      message: 'password must be 8–128 characters with at least one letter and one digit',
      userMessage: 'Mật khẩu phải có từ 8 đến 128 ký tự, gồm ít nhất một chữ cái và một chữ số.',
    };
  }
  const folded = fold(password);
  const username = context.username ? fold(context.username) : '';
  if (
    folded === fold(DEMO_PASSWORD) ||
    PASSWORDS.has(folded) ||
    WORDS.has(folded.replace(/^\d+|\d+$/g, '')) ||
    isSequence(folded) ||
    (username.length >= 3 && folded.includes(username))
  ) {
    return {
      message: 'password is too easy to guess (the demo password, a common password or the username)',
      userMessage:
        'Mật khẩu quá dễ đoán (mật khẩu mặc định, mật khẩu phổ biến hoặc chứa tên đăng nhập). Vui lòng chọn mật khẩu khác.',
    };
  }
  return undefined;
}

/** Lower case without diacritics, keeping only letters and digits. */
function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Runs like "12345678", "abcdefg1" or one character repeated. */
function isSequence(folded: string): boolean {
  const rows = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
  const core = folded.replace(/^\d+|\d+$/g, '') || folded;
  return (
    new Set(folded).size <= 2 ||
    rows.some((row) => row.includes(core) || row.includes([...core].reverse().join('')))
  );
}
