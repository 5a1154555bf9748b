import {
  RecoveryCodesReply,
  TotpConfirmBody,
  TotpDisableBody,
  TotpLoginBody,
  TotpLoginReply,
  TotpSetupReply,
  TotpStatusReply,
  TotpTicketBody,
} from '@parley/protocol';
import { z } from 'zod';
import {
  confirmEnrolment,
  disableTwoFactor,
  renewRecoveryCodes,
  startEnrolment,
  twoFactorStatus,
} from '../domain/accounts/twofactor/enrolment.js';
import { completeSecondStep, enrolAtSignIn } from '../domain/accounts/twofactor/signin.js';
import { authOf, bearer, clientOf, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

/** Two-factor sign-in (TOTP): the second step of a sign-in, and enrolment from the settings screen. */
export function totpRoutes(app: App, { ctx }: Deps): void {
  const tags = ['accounts'];
  const authed = { onRequest: requireAuth(ctx) };

  app.post(
    '/api/login/totp',
    {
      schema: {
        tags,
        description: 'The second step of a sign-in: the ticket from /api/login and a TOTP or recovery code.',
        body: TotpLoginBody,
        response: { 200: TotpLoginReply },
      },
    },
    async (req) => completeSecondStep(ctx, { ...req.body, ...clientOf(req) }),
  );

  app.post(
    '/api/login/totp/setup',
    {
      schema: {
        tags,
        description: 'For an account that must enrol (secondStep.enrol): a secret to scan before the code.',
        body: TotpTicketBody,
        response: { 200: TotpSetupReply },
      },
    },
    async (req) => enrolAtSignIn(ctx, req.body.ticket),
  );

  app.get(
    '/api/me/totp',
    { ...authed, schema: { tags, security: bearer, response: { 200: TotpStatusReply } } },
    async (req) => twoFactorStatus(ctx, authOf(req)),
  );

  app.post(
    '/api/me/totp/setup',
    { ...authed, schema: { tags, security: bearer, response: { 200: TotpSetupReply } } },
    async (req) => startEnrolment(ctx, authOf(req)),
  );

  app.post(
    '/api/me/totp/confirm',
    {
      ...authed,
      schema: { tags, security: bearer, body: TotpConfirmBody, response: { 200: RecoveryCodesReply } },
    },
    async (req) => confirmEnrolment(ctx, authOf(req), req.body.code),
  );

  app.post(
    '/api/me/totp/recovery-codes',
    {
      ...authed,
      schema: { tags, security: bearer, body: TotpConfirmBody, response: { 200: RecoveryCodesReply } },
    },
    async (req) => renewRecoveryCodes(ctx, authOf(req), req.body.code),
  );

  app.delete(
    '/api/me/totp',
    { ...authed, schema: { tags, security: bearer, body: TotpDisableBody, response: { 204: z.null() } } },
    async (req, reply) => {
      await disableTwoFactor(ctx, authOf(req), req.body);
      return reply.status(204).send(null);
    },
  );
}
