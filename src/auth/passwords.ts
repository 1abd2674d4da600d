import argon2 from 'argon2';
import { passwordProblem } from '../contracts/password.ts';
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

/** The one password policy (src/contracts/password.ts), as a 400 naming the field. */
export function checkPasswordStrength(password: string, field = 'password', username?: string): void {
  const problem = passwordProblem(password, { username });
  if (problem) {
    throw invalid(field, problem.message, problem.userMessage);
  }
}
