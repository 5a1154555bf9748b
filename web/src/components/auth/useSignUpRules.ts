import type { Registration } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { fetchServerConfig } from '../../api/auth';

export interface SignUpRules {
  /** Unknown until the server answers: everything is offered meanwhile, and the server decides. */
  registration: Registration | null;
  guests: boolean;
  /** The code of the invite link this page was opened with (`?invite=CODE`). */
  invite: string;
}

const inviteInAddress = () => new URLSearchParams(location.search).get('invite') ?? '';

/** What the sign-in screen offers, from the server's live settings (an admin may change them). */
export function useSignUpRules(): SignUpRules {
  const [rules, setRules] = useState<SignUpRules>(() => ({
    registration: null,
    guests: true,
    invite: inviteInAddress(),
  }));
  useEffect(() => {
    let live = true;
    fetchServerConfig()
      .then((config) => {
        if (!live) return;
        setRules((r) => ({
          ...r,
          registration: config.registration ?? 'open',
          guests: config.guests ?? true,
        }));
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return rules;
}
