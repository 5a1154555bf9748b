import { useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { startSignOn } from './api';

/** "Sign in with <provider>": the browser leaves for the provider and comes back to #/signin/sso. */
export function SignOnButton({ name, disabled }: { name: string; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function go() {
    setBusy(true);
    setError(null);
    try {
      const { url } = await startSignOn();
      location.assign(url);
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="secondary wide" onClick={go} disabled={disabled || busy}>
        Sign in with {name}
      </button>
      <FormError message={error} />
    </>
  );
}
