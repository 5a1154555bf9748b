import type { SignInOptions } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { fetchServerConfig } from '../../api/auth';

/** What the server offers at sign-in (GET /api/config); passwords until it has answered. */
export function useSignInOptions(): SignInOptions {
  const [options, setOptions] = useState<SignInOptions>({ passwordLogin: true });
  useEffect(() => {
    let live = true;
    fetchServerConfig().then(
      (config) => {
        if (live && config.signIn) setOptions(config.signIn);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return options;
}
