import argon2 from 'argon2';
import { invalid } from '../errors.ts';

/** Passwords are hashed with argon2id (OWASP parameters: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A fixed hash to verify against when the account does not exist, so timing does not reveal usernames. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('decoy-password-for-unknown-accounts');
  return decoyHash;
}

export const PASSWORD_MIN_LENGTH = 8;

/** At least 8 characters with a letter and a digit; at most 128. */
export function checkPasswordStrength(password: string, field = 'password'): void {
  if (
    password.length < PASSWORD_MIN_LENGTH ||
    password.length > 128 ||
    !/\p{L}/u.test(password) ||
    !/\d/.test(password)
  ) {
    throw invalid(
      field,
      'password must be 8–128 characters with at least one letter and one digit',
      'Mật khẩu phải có từ 8 đến 128 ký tự, gồm ít nhất một chữ cái và một chữ số.',
    );
  }
}
