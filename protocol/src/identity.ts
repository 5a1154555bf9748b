import { z } from 'zod';
import { AuthReply } from './rest.js';

/**
 * Single sign-on (OpenID Connect) and two-factor sign-in (TOTP, RFC 6238).
 *
 * A sign-in with a password, or through the provider, either ends with a session (`AuthReply`) or, when
 * the account has two-factor on (or must enrol in it), with a `SecondStep`: a short-lived ticket that
 * `POST /api/login/totp` exchanges, with a code, for the session.
 */
export const SecondStep = z.object({
  /** Signed, short-lived; names the account whose first factor succeeded. It is not a session. */
  ticket: z.string(),
  /** True when the account must set up two-factor now (an admin requires it): see `POST /api/login/totp/setup`. */
  enrol: z.boolean(),
  expiresAt: z.string(),
});
export type SecondStep = z.infer<typeof SecondStep>;

export const SecondStepReply = z.object({ secondStep: SecondStep });
export type SecondStepReply = z.infer<typeof SecondStepReply>;

/** `POST /api/login` (and the end of a single sign-on): a session, or the second step. */
export const LoginReply = z.union([AuthReply, SecondStepReply]);
export type LoginReply = z.infer<typeof LoginReply>;

/** A six-digit TOTP code, or one of the recovery codes (`xxxx-xxxx-xxxx-xxxx`, dashes optional). */
export const TotpCode = z.string().max(40);

export const TotpLoginBody = z.object({ ticket: z.string().max(4096), code: TotpCode });
export type TotpLoginBody = z.infer<typeof TotpLoginBody>;

/** A session, and (after an enrolment at sign-in) the recovery codes, shown this once. */
export const TotpLoginReply = AuthReply.extend({ recoveryCodes: z.array(z.string()).optional() });
export type TotpLoginReply = z.infer<typeof TotpLoginReply>;

export const TotpTicketBody = z.object({ ticket: z.string().max(4096) });

/** A new secret to scan: the otpauth:// URI, the same as a QR code (SVG), and the secret to type in. */
export const TotpSetupReply = z.object({ secret: z.string(), uri: z.string(), qrSvg: z.string() });
export type TotpSetupReply = z.infer<typeof TotpSetupReply>;

export const TotpStatusReply = z.object({
  enabled: z.boolean(),
  /** Unused recovery codes left. */
  recoveryCodesLeft: z.number().int(),
  /** Whether the server requires two-factor of this account (then it cannot be turned off). */
  required: z.boolean(),
});
export type TotpStatusReply = z.infer<typeof TotpStatusReply>;

export const TotpConfirmBody = z.object({ code: TotpCode });
export const RecoveryCodesReply = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodesReply = z.infer<typeof RecoveryCodesReply>;

export const TotpDisableBody = z.object({ password: z.string().max(1024), code: TotpCode });

/** `POST /api/auth/oidc/start` (and `POST /api/me/oidc/link`): where to send the browser. */
export const OidcStartBody = z.object({
  /** The client's own path to come back to (same origin), `/` by default. */
  returnTo: z.string().max(2000).optional(),
});
export const OidcStartReply = z.object({ url: z.string() });

export const OidcIdentityReply = z.object({
  /** The provider's name, and whether this account is linked to an identity there. */
  provider: z.string().nullable(),
  linked: z.boolean(),
});
export type OidcIdentityReply = z.infer<typeof OidcIdentityReply>;
