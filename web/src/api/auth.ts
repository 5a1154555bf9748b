import type { AuthReply, LoginReply, ServerConfigReply, User } from '@parley/protocol';
import { request } from './http';

export const register = (username: string, password: string, invite?: string) =>
  request<AuthReply>('POST', '/api/register', { username, password, invite });

export const login = (username: string, password: string) =>
  request<LoginReply>('POST', '/api/login', { username, password });

export const continueAsGuest = (nickname?: string) =>
  request<AuthReply>('POST', '/api/guest', nickname ? { nickname } : {});

export const upgradeGuest = (username: string, password: string) =>
  request<AuthReply>('POST', '/api/me/upgrade', { username, password });

export const logout = () => request<void>('POST', '/api/logout');

export const fetchMe = () => request<{ user: User }>('GET', '/api/me');

export const fetchServerConfig = () => request<ServerConfigReply>('GET', '/api/config');
