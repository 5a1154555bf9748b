import { errorCatalog, isErrorCode, type OidcIdentityReply } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { identityStatus, startLink, unlinkIdentity } from './api';

/** The outcome the provider's round trip left in the address (`#/settings/sign-in?error=CODE`). */
function returnedError(): string | null {
  const match = /^#\/settings\/sign-in\?(.*)$/.exec(location.hash);
  const code = match ? new URLSearchParams(match[1]).get('error') : null;
  if (!code) return null;
  return isErrorCode(code) ? errorCatalog[code].message : errorCatalog.sso_failed.message;
}

/** Settings → Single sign-on: link this account to the provider's identity, or unlink it. */
export function LinkIdentity() {
  const [status, setStatus] = useState<OidcIdentityReply | null>(null);
  const [error, setError] = useState<string | null>(returnedError);
  const reload = useCallback(() => {
    identityStatus().then(setStatus, (caught: unknown) => setError(errorText(caught)));
  }, []);
  useEffect(reload, [reload]);

  async function link() {
    setError(null);
    try {
      location.assign((await startLink()).url);
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  async function unlink() {
    setError(null);
    try {
      await unlinkIdentity();
      reload();
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  if (!status?.provider) return null;
  return (
    <section className="settings-section" aria-labelledby="sign-on-title">
      <h2 id="sign-on-title">Single sign-on</h2>
      {status.linked ? (
        <>
          <p>This account signs in with {status.provider}.</p>
          <button type="button" className="secondary" onClick={unlink}>
            Unlink {status.provider}
          </button>
        </>
      ) : (
        <>
          <p>Link this account to {status.provider} to sign in with it.</p>
          <button type="button" className="primary" onClick={link}>
            Link {status.provider}
          </button>
        </>
      )}
      <FormError message={error} />
    </section>
  );
}
