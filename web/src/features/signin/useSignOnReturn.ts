import { errorCatalog, isErrorCode, type LoginReply } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { errorText } from '../../api/errors';
import { finishSignOn } from './api';

/**
 * Back from the provider, the page opens at `#/signin/sso` (or `#/signin/sso?error=CODE`): the cookie
 * the callback set is exchanged once for a session or the second step, and the address is cleared.
 */
export function useSignOnReturn(onReply: (reply: LoginReply) => void): {
  busy: boolean;
  error: string | null;
} {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, on the page the provider returned to
  useEffect(() => {
    const match = /^#\/signin\/sso(?:\?(.*))?$/.exec(location.hash);
    if (!match) return;
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    const code = new URLSearchParams(match[1] ?? '').get('error');
    if (code) {
      setState({
        busy: false,
        error: isErrorCode(code) ? errorCatalog[code].message : errorCatalog.sso_failed.message,
      });
      return;
    }
    setState({ busy: true, error: null });
    finishSignOn().then(
      (reply) => {
        setState({ busy: false, error: null });
        onReply(reply);
      },
      (caught: unknown) => setState({ busy: false, error: errorText(caught) }),
    );
  }, []);
  return state;
}
