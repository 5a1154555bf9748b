import fs from 'node:fs';
import path from 'node:path';
import type { Options } from '@node-rs/argon2';
import { limits, passwordProblems } from '@parley/protocol';
import { AppError } from '../../errors.js';
import { serverDir } from '../../paths.js';

// OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
// `algorithm: 2` is Argon2id (the package's enum is a const enum, which isolated modules cannot read).
const argon2Options: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

let commonPasswords: Set<string> | undefined;
function isCommon(password: string): boolean {
  commonPasswords ??= new Set(
    fs
      .readFileSync(path.join(serverDir, 'assets/common-passwords.txt'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#')),
  );
  return commonPasswords.has(password.toLowerCase());
}

/** Every problem with a new password at once (the rules the client shows, and the common list). */
export function checkPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (password.length <= limits.passwordMax && isCommon(password))
    problems.push('That password is one of the most common ones; choose another.');
  if (problems.length > 0) throw new AppError('weak_password', problems.join(' '));
}

// The native module is loaded by the first password, not at start-up: idle, a node never needs it.
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => {
  argon2 ??= import('@node-rs/argon2');
  return argon2;
};

export const hashPassword = async (password: string): Promise<string> =>
  (await loadArgon2()).hash(password, argon2Options);

// Verifying against this when the user does not exist makes "no such user" take as long as "wrong password".
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const { hash, verify } = await loadArgon2();
  if (stored === null) {
    dummyHash ??= hash('parley-timing-equaliser', argon2Options);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
