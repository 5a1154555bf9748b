import fs from 'node:fs';
import path from 'node:path';
import { hash, type Options, verify } from '@node-rs/argon2';
import { limits } from '@parley/protocol';
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

export function checkPassword(password: string, username: string): void {
  const weak = (reason: string) => new AppError('weak_password', reason);
  if (password.length < limits.passwordMin)
    throw weak(`Passwords need at least ${limits.passwordMin} characters.`);
  if (password.length > limits.passwordMax)
    throw weak(`Passwords are at most ${limits.passwordMax} characters.`);
  if (password.toLowerCase().includes(username.toLowerCase()))
    throw weak('The password must not contain the username.');
  if (isCommon(password)) throw weak('That password is one of the most common ones; choose another.');
}

export const hashPassword = (password: string): Promise<string> => hash(password, argon2Options);

// Verifying against this when the user does not exist makes "no such user" take as long as "wrong password".
const dummyHash = hash('parley-timing-equaliser', argon2Options);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
