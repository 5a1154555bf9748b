import path from 'node:path';
import { type LimitAction, limits, type RateLimit, type Settings } from '@parley/protocol';
import { repoRoot } from './paths.js';

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
  /** How often each node checks that its sockets' sessions still exist, are live and unexpired. */
  sessionSweepMs: number;
  /** Where the web client is reached from outside (links in mails); mail needs it. */
  publicUrl?: string;
  /** `smtp://…` / `smtps://…`: password reset and email verification mails (nodemailer). */
  smtpUrl?: string;
  mailFrom: string;
  /** How long a password reset link works. */
  resetLinkTtlMinutes: number;
  /** Login attempts allowed per IP and per username in `loginWindowMs`. */
  loginLimitPerIp: number;
  loginLimitPerUser: number;
  loginWindowMs: number;
  /** Accounts (registered or guest) one IP may create per `signupWindowMs`. */
  signupLimitPerIp: number;
  signupWindowMs: number;
  shutdownTimeoutMs: number;
  /**
   * For clients that never send `presence:watch` (the per-room `presence` event of older clients):
   * changes reach rooms with at most this many sockets on the node. Watching clients see presence in
   * rooms of any size; this only bounds what the legacy event costs (N people reconnecting in a room of
   * N would be N × N frames).
   */
  presenceRoomLimit: number;
  /** Presence changes reach each watching socket in at most one frame per this many ms. */
  presenceWindowMs: number;
  /** Told to clients (GET /api/config): a tab hidden or untouched this long says it is away. */
  presenceAwayAfterMs: number;
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
  /**
   * Settings an admin changes live (GET/PATCH /api/admin/settings). These are what the environment
   * says; a value an admin has set is kept in the database and wins.
   */
  settingsDefaults: Settings;
  /** Sockets one user may hold open on one node; more are refused at the handshake. */
  maxSocketsPerUser: number;
  /** Connections one address may hold on one node before signing in; more are refused. */
  maxPendingSocketsPerIp: number;
  /** A connection that has not signed in (Socket.IO CONNECT with a good token) by then is closed. */
  handshakeTimeoutMs: number;
  /** SEARCH_INDEX=off: no full-text index is kept (and search answers 503); for measuring its cost. */
  searchIndex: boolean;
  /** Searches one person may run per minute. */
  searchLimitPerMinute: number;
  /** The language whose word stems search matches (a PostgreSQL text search configuration name). */
  searchLanguage: string;
  /** How often the retention job looks for messages past the retention period. */
  retentionIntervalMs: number;
  /** A bearer token /metrics asks for (METRICS_TOKEN); none when unset. */
  metricsToken?: string;
  /** /metrics on this port instead of the public one (METRICS_PORT). */
  metricsPort?: number;
  /** Attention: mentions, receipts, notification levels and Web Push (domain/attention/). */
  attention: AttentionConfig;
  /** Files: where blobs live, how long signed links last, how big an image may be decoded. */
  files: FilesConfig;
  /** Single sign-on with an OpenID Connect provider, when OIDC_ISSUER is set (domain/accounts/oidc/). */
  oidc?: OidcConfig;
}

export interface OidcConfig {
  /** The issuer URL; its /.well-known/openid-configuration is read at start-up (OIDC_ISSUER). */
  issuer: string;
  clientId: string;
  /** Never logged. Unset for a public client (PKCE alone). */
  clientSecret?: string;
  /** Where the provider sends the browser back (OIDC_REDIRECT_URI); by default this server's own origin + /api/auth/oidc/callback. */
  redirectUri?: string;
  /** The button's label: "Sign in with …" (OIDC_NAME, "single sign-on" by default). */
  name: string;
  /** Scopes asked for (OIDC_SCOPES); `openid` is always among them. */
  scopes: string[];
  /** When set, only people whose groups claim names one of these get in (OIDC_ALLOWED_GROUPS). */
  allowedGroups: string[];
  /** Which claims hold the username and the groups (OIDC_USERNAME_CLAIM, OIDC_GROUPS_CLAIM). */
  usernameClaim: string;
  groupsClaim: string;
}

function oidcConfig(env: Env): OidcConfig | undefined {
  const issuer = env.OIDC_ISSUER;
  if (!issuer) return undefined;
  if (!env.OIDC_CLIENT_ID) throw new Error('OIDC_ISSUER is set: OIDC_CLIENT_ID is needed too');
  const scopes = list(env.OIDC_SCOPES ?? 'openid profile email');
  return {
    issuer,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET || undefined,
    redirectUri: env.OIDC_REDIRECT_URI || undefined,
    name: env.OIDC_NAME || 'single sign-on',
    scopes: scopes.includes('openid') ? scopes : ['openid', ...scopes],
    allowedGroups: list(env.OIDC_ALLOWED_GROUPS),
    usernameClaim: env.OIDC_USERNAME_CLAIM || 'preferred_username',
    groupsClaim: env.OIDC_GROUPS_CLAIM || 'groups',
  };
}

export interface AttentionConfig {
  /** Read and delivery positions change live (`room:read`, `room:delivered`) in rooms up to this size. */
  receiptsRoomLimit: number;
  /** In rooms bigger than this, only owners, moderators and admins mention `@room` and `@here`. */
  groupMentionRoomLimit: number;
  /** Rooms up to this size notify of every message by default; bigger ones of mentions only. */
  notifyAllRoomLimit: number;
  /** VAPID keys (base64url) and contact; generated into DATA_DIR when unset on SQLite. */
  vapidPublicKey?: string;
  vapidPrivateKey?: string;
  vapidSubject: string;
  /** A burst of messages ends after this much quiet, or this long after it began: one push for it. */
  pushQuietMs: number;
  pushMaxWaitMs: number;
  /** Accept http:// push endpoints on the loopback interface (tests stand up their own push service). */
  pushAllowLoopback: boolean;
}

export interface FilesConfig {
  /** S3-compatible object storage when S3_BUCKET is set (needed for several nodes); else DATA_DIR/files. */
  s3?: {
    bucket: string;
    endpoint?: string;
    region: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    /** Path-style addressing (bucket in the path): what MinIO, Garage and most self-hosted services want. */
    forcePathStyle: boolean;
  };
  /** A viewer's grant to sign file links lasts between this and twice this (FILE_LINK_TTL_SECONDS). */
  linkTtlSeconds: number;
  /** Images with more pixels are refused before they are decoded (IMAGE_MAX_PIXELS). */
  imageMaxPixels: number;
  /** An upload not attached to a message within this long is removed (UPLOAD_UNATTACHED_TTL_SECONDS). */
  unattachedTtlSeconds: number;
  /** How often a node sweeps unattached and orphaned files (FILE_SWEEP_INTERVAL_MS). */
  sweepIntervalMs: number;
}

function filesConfig(env: Env): FilesConfig {
  const bucket = env.S3_BUCKET;
  return {
    s3: bucket
      ? {
          bucket,
          endpoint: env.S3_ENDPOINT || undefined,
          region: env.S3_REGION || 'us-east-1',
          accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
          forcePathStyle: env.S3_FORCE_PATH_STYLE !== 'false',
        }
      : undefined,
    linkTtlSeconds: int(env, 'FILE_LINK_TTL_SECONDS', 3600, 1),
    imageMaxPixels: int(env, 'IMAGE_MAX_PIXELS', 64_000_000, 1),
    unattachedTtlSeconds: int(env, 'UPLOAD_UNATTACHED_TTL_SECONDS', 86_400, 1),
    sweepIntervalMs: int(env, 'FILE_SWEEP_INTERVAL_MS', 15 * 60_000, 100),
  };
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

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "30/10s": 30 at once, refilled over 10 seconds (units s, m, h, d; plain seconds without one). */
export function parseRateLimit(key: string, raw: string): RateLimit {
  const match = /^(\d+)\s*\/\s*(\d+)\s*([smhd]?)$/.exec(raw.trim());
  const count = Number(match?.[1]);
  const seconds = Number(match?.[2]) * (units[match?.[3] || 's'] ?? 1);
  if (!match || count < 1 || seconds < 1 || seconds > 86_400)
    throw new Error(`${key} must look like "30/10s" (count per seconds, minutes or hours), got "${raw}"`);
  return { count, seconds };
}

/** Humane for people, far below what a script sends: a flood is cut to the refill rate. */
const rateDefaults: Record<LimitAction, [string, RateLimit]> = {
  send: ['RATE_SEND', { count: 30, seconds: 10 }],
  edit: ['RATE_EDIT', { count: 30, seconds: 60 }],
  reaction: ['RATE_REACTION', { count: 60, seconds: 60 }],
  typing: ['RATE_TYPING', { count: 30, seconds: 10 }],
  roomCreate: ['RATE_ROOM_CREATE', { count: 10, seconds: 3600 }],
  memberAdd: ['RATE_MEMBER_ADD', { count: 60, seconds: 3600 }],
  dmOpen: ['RATE_DM_OPEN', { count: 30, seconds: 3600 }],
  upload: ['RATE_UPLOAD', { count: 30, seconds: 600 }],
  report: ['RATE_REPORT', { count: 10, seconds: 3600 }],
  moderate: ['RATE_MODERATE', { count: 60, seconds: 60 }],
};

/** PostgreSQL's built-in text search configurations; SQLite stems English only (FTS5's porter). */
const searchLanguages = [
  'simple',
  'arabic',
  'armenian',
  'basque',
  'catalan',
  'danish',
  'dutch',
  'english',
  'finnish',
  'french',
  'german',
  'greek',
  'hindi',
  'hungarian',
  'indonesian',
  'irish',
  'italian',
  'lithuanian',
  'nepali',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'serbian',
  'spanish',
  'swedish',
  'tamil',
  'turkish',
  'yiddish',
] as const;

function choice<T extends string>(env: Env, key: string, options: readonly T[], fallback: T): T {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (!(options as readonly string[]).includes(raw))
    throw new Error(`${key} must be one of ${options.join(', ')}, got "${raw}"`);
  return raw as T;
}

function settingsDefaults(env: Env): Settings {
  const rateLimits = Object.fromEntries(
    Object.entries(rateDefaults).map(([action, [key, fallback]]) => [
      action,
      env[key] ? parseRateLimit(key, env[key]) : fallback,
    ]),
  ) as Settings['rateLimits'];
  return {
    registration: choice(env, 'REGISTRATION', ['open', 'invite', 'closed'], 'open'),
    guests: choice(env, 'GUESTS', ['on', 'off'], 'on') === 'on',
    retentionDays: env.RETENTION_DAYS ? int(env, 'RETENTION_DAYS', 0, 1) : null,
    uploadMaxBytes: int(env, 'UPLOAD_MAX_BYTES', 25 * 1024 * 1024, 1024),
    uploadQuotaBytes: int(env, 'UPLOAD_QUOTA_BYTES', 1024 ** 3, 0),
    rateLimits,
    passwordLogin: choice(env, 'PASSWORD_LOGIN', ['on', 'off'], 'on') === 'on',
    twoFactor: choice(env, 'REQUIRE_2FA', ['off', 'admins', 'everyone'], 'off'),
  };
}

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
    sessionSweepMs: int(env, 'SESSION_SWEEP_MS', 500, 50),
    publicUrl: env.PUBLIC_URL || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Parley <parley@localhost>',
    resetLinkTtlMinutes: int(env, 'RESET_LINK_TTL_MINUTES', 60, 1),
    loginLimitPerIp: int(env, 'LOGIN_LIMIT_PER_IP', 30, 1),
    loginLimitPerUser: int(env, 'LOGIN_LIMIT_PER_USER', 10, 1),
    loginWindowMs: int(env, 'LOGIN_WINDOW_MS', 5 * 60_000, 1),
    signupLimitPerIp: int(env, 'SIGNUP_LIMIT_PER_IP', 60, 1),
    signupWindowMs: int(env, 'SIGNUP_WINDOW_MS', 10 * 60_000, 1),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 1),
    typingTimeoutMs: int(env, 'TYPING_TIMEOUT_MS', 6_000, 100),
    presenceRoomLimit: int(env, 'PRESENCE_ROOM_LIMIT', 200, 0),
    presenceWindowMs: int(env, 'PRESENCE_WINDOW_MS', 1_000, 10),
    presenceAwayAfterMs: int(env, 'PRESENCE_AWAY_AFTER_MS', 5 * 60_000, 1_000),
    trustProxy: trustProxy(env.TRUST_PROXY),
    webDir: path.resolve(env.WEB_DIR || path.join(repoRoot, 'web/dist')),
    defaultRooms: ['General', 'Tech Talk', 'Random'],
    settingsDefaults: settingsDefaults(env),
    maxSocketsPerUser: int(env, 'MAX_SOCKETS_PER_USER', 20, 1),
    maxPendingSocketsPerIp: int(env, 'MAX_PENDING_SOCKETS_PER_IP', 50, 1),
    handshakeTimeoutMs: int(env, 'HANDSHAKE_TIMEOUT_MS', 10_000, 100),
    retentionIntervalMs: int(env, 'RETENTION_INTERVAL_MS', 10 * 60_000, 100),
    searchIndex: choice(env, 'SEARCH_INDEX', ['on', 'off'], 'on') === 'on',
    searchLimitPerMinute: int(env, 'SEARCH_LIMIT_PER_MINUTE', 120, 1),
    searchLanguage: choice(env, 'SEARCH_LANGUAGE', searchLanguages, 'english'),
    metricsToken: env.METRICS_TOKEN || undefined,
    metricsPort: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0) : undefined,
    attention: {
      receiptsRoomLimit: int(env, 'RECEIPTS_ROOM_LIMIT', 100, 0),
      groupMentionRoomLimit: int(env, 'GROUP_MENTION_ROOM_LIMIT', 50, 0),
      notifyAllRoomLimit: int(env, 'NOTIFY_ALL_ROOM_LIMIT', 20, 0),
      vapidPublicKey: env.VAPID_PUBLIC_KEY || undefined,
      vapidPrivateKey: env.VAPID_PRIVATE_KEY || undefined,
      vapidSubject: env.VAPID_SUBJECT || 'mailto:admin@parley.invalid',
      pushQuietMs: int(env, 'PUSH_QUIET_MS', 4_000, 0),
      pushMaxWaitMs: int(env, 'PUSH_MAX_WAIT_MS', 20_000, 0),
      pushAllowLoopback: env.PUSH_ALLOW_LOOPBACK === 'true',
    },
    files: filesConfig(env),
    oidc: oidcConfig(env),
  };
}
