import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * TOTP as RFC 6238 and every authenticator app define it: SHA-1, six digits, 30-second steps. The
 * codes themselves come from `otpauth`; which step a code belongs to, and comparing it in constant
 * time, is done here, because replay protection needs the step and a string `===` leaks timing.
 */
const period = 30;
const digits = 6;
/** A code of the step before or after the current one is accepted too (clock drift, slow typing). */
const window = 1;

const totpOf = (secret: string, label = '', issuer = 'Parley') =>
  new TOTP({ issuer, label, algorithm: 'SHA1', digits, period, secret: Secret.fromBase32(secret) });

/** A new 160-bit secret (RFC 4226's recommended length), base32 as apps expect it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export const otpauthUri = (secret: string, label: string, issuer: string): string =>
  totpOf(secret, label, issuer).toString();

export const currentStep = (at = Date.now()): number => Math.floor(at / 1000 / period);

/** The step the code is valid for (within the window), or null. Every candidate is compared. */
export function matchTotp(secret: string, code: string, at = Date.now()): number | null {
  const given = Buffer.from(code.replace(/\s/g, ''));
  const totp = totpOf(secret);
  let matched: number | null = null;
  for (let delta = -window; delta <= window; delta++) {
    const step = currentStep(at) + delta;
    const expected = Buffer.from(totp.generate({ timestamp: step * period * 1000 }));
    const equal = given.length === expected.length && timingSafeEqual(given, expected);
    if (equal && matched === null) matched = step;
  }
  return matched;
}

export const looksLikeTotp = (code: string): boolean => /^\d{6}$/.test(code.replace(/\s/g, ''));

const recoveryAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/** `xxxx-xxxx-xxxx-xxxx` from 31 letters and digits that cannot be misread: about 79 bits each. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((byte) => recoveryAlphabet[byte % recoveryAlphabet.length]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/**
 * Recovery codes are kept as SHA-256 digests: each has ~79 random bits, so a stolen table cannot be
 * turned back into codes, and the lookup by digest compares no secret byte by byte.
 */
export function hashRecoveryCode(code: string): string {
  const normal = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return createHash('sha256').update(`parley-recovery:${normal}`).digest('base64url');
}

export const recoveryCodeCount = 10;
