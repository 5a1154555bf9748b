import type { User } from '@parley/protocol';
import { readJson, writeJson } from './local';

export interface Session {
  token: string;
  user: User;
}

export const sessionKey = 'parley.session';

export const loadSession = (): Session | null => readJson<Session | null>(sessionKey, null);

export const saveSession = (session: Session | null): void => writeJson(sessionKey, session);
