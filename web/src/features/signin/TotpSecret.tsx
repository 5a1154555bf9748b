import type { TotpSetupReply } from '@parley/protocol';

/** The secret to add to an authenticator app: a QR code to scan, and the key to type when scanning fails. */
export function TotpSecret({ setup }: { setup: TotpSetupReply }) {
  // The SVG is the server's rendering of the otpauth:// URI (the `qrcode` package): markup we produced.
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrSvg)}`;
  return (
    <div className="totp-secret">
      <img src={src} alt="QR code for your authenticator app" width={180} height={180} />
      <p>
        Scan it with an authenticator app, or type this key:{' '}
        <code data-testid="totp-secret">{setup.secret}</code>
      </p>
    </div>
  );
}
