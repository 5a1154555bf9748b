import type { TotpSetupReply } from '@parley/protocol';
import { fail } from '../../../errors.js';
import type { Ctx } from '../../context.js';
import { newTotpSecret, otpauthUri } from './codes.js';
import { savePendingSecret } from './store.js';

/** A fresh secret for the person to scan (QR) or type; it works only once a code confirms it. */
export async function beginEnrolment(
  ctx: Ctx,
  user: { id: string; username: string },
): Promise<TotpSetupReply> {
  const secret = newTotpSecret();
  if (!(await savePendingSecret(ctx, user.id, secret))) fail('two_factor_enabled');
  const uri = otpauthUri(secret, user.username, 'Parley');
  // Loaded here, not at start-up: only enrolment draws a QR code.
  const { default: QRCode } = await import('qrcode');
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, uri, qrSvg };
}
