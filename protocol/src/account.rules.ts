// Plain values a client takes without zod: the web client's bundle leaves out every module with a schema.
import { limits } from './limits.js';

/** Limits of the profile, shared by the server's checks and the client's forms. */
export const profileLimits = {
  displayNameMax: 64,
  statusMax: 100,
  emailMax: 254,
  timeZoneMax: 64,
} as const;

/**
 * What is wrong with a new password, every problem at once (an empty list: none of these). The server
 * also refuses the most common passwords, a list too long to ship to the client.
 */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if (password.length < limits.passwordMin)
    problems.push(`The password needs at least ${limits.passwordMin} characters.`);
  if (password.length > limits.passwordMax)
    problems.push(`The password has at most ${limits.passwordMax} characters.`);
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    problems.push('The password must not contain your username.');
  return problems;
}

/** The rules, in words, for a form to show before anyone types. */
export const passwordRules = [
  `At least ${limits.passwordMin} characters (at most ${limits.passwordMax}).`,
  'Must not contain your username.',
  'Must not be one of the most common passwords.',
] as const;
