import type {
  LoginReply,
  OidcIdentityReply,
  RecoveryCodesReply,
  TotpLoginReply,
  TotpSetupReply,
  TotpStatusReply,
} from '@parley/protocol';
import { request } from '../../api/http';

/** Single sign-on and two-factor calls (issue 14); the session itself is kept by state/session.ts. */

/** The page to come back to after the provider: this one, without its fragment. */
const here = () => `${location.pathname}${location.search}`;

export const startSignOn = () =>
  request<{ url: string }>('POST', '/api/auth/oidc/start', { returnTo: here() });

export const finishSignOn = () => request<LoginReply>('POST', '/api/auth/oidc/finish');

export const sendSecondStep = (ticket: string, code: string) =>
  request<TotpLoginReply>('POST', '/api/login/totp', { ticket, code });

export const enrolAtSignIn = (ticket: string) =>
  request<TotpSetupReply>('POST', '/api/login/totp/setup', { ticket });

export const twoFactorStatus = () => request<TotpStatusReply>('GET', '/api/me/totp');
export const beginTwoFactor = () => request<TotpSetupReply>('POST', '/api/me/totp/setup');
export const confirmTwoFactor = (code: string) =>
  request<RecoveryCodesReply>('POST', '/api/me/totp/confirm', { code });
export const renewRecoveryCodes = (code: string) =>
  request<RecoveryCodesReply>('POST', '/api/me/totp/recovery-codes', { code });
export const disableTwoFactor = (password: string, code: string) =>
  request<void>('DELETE', '/api/me/totp', { password, code });

export const identityStatus = () => request<OidcIdentityReply>('GET', '/api/me/oidc');
export const startLink = () => request<{ url: string }>('POST', '/api/me/oidc/link', { returnTo: here() });
export const unlinkIdentity = () => request<void>('DELETE', '/api/me/oidc');
