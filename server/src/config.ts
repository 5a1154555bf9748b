import path from 'node:path';
import { limits } from '@parley/protocol';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Prepended to every Redis key and channel, so several Parleys (or test runs) can share one Redis. */
  redisPrefix: string;
  jwtSecret?: string;
  corsOrigins: string[];
  logLevel: string;
  maxMessageLength: number;
  adminUsernames: string[];
  sessionTtlDays: number;
  /** Login attempts allowed per IP and per username in `loginWindowMs`. */
  loginLimitPerIp: number;
  loginLimitPerUser: number;
  loginWindowMs: number;
  /** Accounts (registered or guest) one IP may create per `signupWindowMs`. */
  signupLimitPerIp: number;
  signupWindowMs: number;
  shutdownTimeoutMs: number;
  /**
   * Presence changes are pushed live to rooms with at most this many connected sockets; in bigger rooms
   * (a community's General) members see online state in the member list instead. Otherwise N people
   * reconnecting after a restart cost N × N frames.
   */
  presenceRoomLimit: number;
  /** A typing indicator switches itself off after this long without news from the typist. */
  typingTimeoutMs: number;
  webDir: string;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For): false, a number of hops,
   * or their addresses/CIDRs. Never "all": the leftmost entry is whatever the client wrote.
   */
  trustProxy: false | number | string[];
  /** The rooms created on first start. */
  defaultRooms: string[];
}

type Env = Record<string, string | undefined>;

function int(env: Env, key: string, fallback: number, min = 0): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${key} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function trustProxy(raw: string | undefined): false | number | string[] {
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return 1; // the one proxy in front of the node
  if (/^\d+$/.test(raw)) return Number(raw);
  return list(raw);
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Reads the environment once, at start-up, and fails loudly on nonsense. */
export function loadConfig(env: Env = process.env): Config {
  return {
    port: int(env, 'PORT', 3000),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX || 'parley:',
    jwtSecret: env.JWT_SECRET || undefined,
    corsOrigins: list(env.CORS_ORIGINS),
    logLevel: env.LOG_LEVEL || 'info',
    maxMessageLength: int(env, 'MAX_MESSAGE_LENGTH', limits.messageLengthDefault, 1),
    adminUsernames: list(env.ADMIN_USERNAMES).map((name) => name.toLowerCase()),
    sessionTtlDays: int(env, 'SESSION_TTL_DAYS', 30, 1),
    loginLimitPerIp: int(env, 'LOGIN_LIMIT_PER_IP', 30, 1),
    loginLimitPerUser: int(env, 'LOGIN_LIMIT_PER_USER', 10, 1),
    loginWindowMs: int(env, 'LOGIN_WINDOW_MS', 5 * 60_000, 1),
    signupLimitPerIp: int(env, 'SIGNUP_LIMIT_PER_IP', 60, 1),
    signupWindowMs: int(env, 'SIGNUP_WINDOW_MS', 10 * 60_000, 1),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 1),
    typingTimeoutMs: int(env, 'TYPING_TIMEOUT_MS', 6_000, 100),
    presenceRoomLimit: int(env, 'PRESENCE_ROOM_LIMIT', 200, 0),
    trustProxy: trustProxy(env.TRUST_PROXY),
    webDir: path.resolve(env.WEB_DIR || path.join(repoRoot, 'web/dist')),
    defaultRooms: ['General', 'Tech Talk', 'Random'],
  };
}
