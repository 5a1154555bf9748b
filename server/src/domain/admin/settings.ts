import {
  limitActions,
  type RateLimits,
  retentionConfirmBelowDays,
  type Settings,
  type SettingsPatch,
} from '@parley/protocol';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { AppError } from '../../errors.js';
import { now } from '../ids.js';
import { audit } from './audit.js';
import { requireAdmin } from './guard.js';
import { checkPasswordLoginChange } from '../accounts/oidc/signon.js';

type Key = keyof Settings;
const keys: Key[] = [
  'registration',
  'guests',
  'retentionDays',
  'uploadMaxBytes',
  'uploadQuotaBytes',
  'rateLimits',
  'passwordLogin',
  'twoFactor',
];

/**
 * The settings an admin changes while the server runs. Every node keeps them in memory (they are read on
 * every send, for the rate limits) and reloads them from the database when any node changes them: the
 * node that made the change says so through the bus, and a slow poll catches a node that missed it.
 * The environment gives the defaults; a value an admin set is kept in the database and wins.
 */
export class LiveSettings {
  #current: Settings;
  readonly #defaults: Settings;
  #stamp = '';

  constructor(defaults: Settings) {
    this.#defaults = defaults;
    this.#current = defaults;
  }

  get current(): Settings {
    return this.#current;
  }

  /** Reads the stored settings; true when they differ from what this node had. */
  async load(ctx: Pick<Ctx, 'store'>): Promise<boolean> {
    const rows = await ctx.store.db.selectFrom('settings').select(['key', 'value', 'updated_at']).execute();
    const stamp = rows
      .map((row) => `${row.key}@${row.updated_at}`)
      .sort()
      .join(',');
    if (stamp === this.#stamp) return false;
    this.#stamp = stamp;
    const stored = Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
    this.#current = merge(this.#defaults, stored);
    return true;
  }
}

/** Stored values over the defaults; a stored value that no longer fits the schema is ignored. */
function merge(defaults: Settings, stored: Record<string, unknown>): Settings {
  const rateLimits = { ...defaults.rateLimits };
  const storedLimits = (stored.rateLimits ?? {}) as Partial<RateLimits>;
  for (const action of limitActions) {
    const limit = storedLimits[action];
    if (limit && Number.isInteger(limit.count) && Number.isInteger(limit.seconds)) rateLimits[action] = limit;
  }
  const pick = <K extends Key>(key: K, valid: (value: unknown) => boolean): Settings[K] =>
    key in stored && valid(stored[key]) ? (stored[key] as Settings[K]) : defaults[key];
  return {
    registration: pick('registration', (v) => v === 'open' || v === 'invite' || v === 'closed'),
    guests: pick('guests', (v) => typeof v === 'boolean'),
    retentionDays: pick('retentionDays', (v) => v === null || Number.isInteger(v)),
    uploadMaxBytes: pick('uploadMaxBytes', Number.isInteger),
    uploadQuotaBytes: pick('uploadQuotaBytes', Number.isInteger),
    rateLimits,
    passwordLogin: pick('passwordLogin', (v) => typeof v === 'boolean'),
    twoFactor: pick('twoFactor', (v) => v === 'off' || v === 'admins' || v === 'everyone'),
  };
}

export const settingsOf = (ctx: Ctx): Settings => ctx.settings.current;

/**
 * Changes settings (admins only) and tells every node. A retention short enough to delete recent history
 * must be confirmed by sending the same number again as `confirmRetentionDays`: a slip of the keyboard
 * (0 for "keep forever") must not empty the server.
 */
export async function updateSettings(ctx: Ctx, auth: Auth, patch: SettingsPatch): Promise<Settings> {
  requireAdmin(auth);
  const { confirmRetentionDays, ...changes } = patch;
  await checkPasswordLoginChange(ctx, auth, changes.passwordLogin);
  const days = changes.retentionDays;
  if (
    days !== undefined &&
    days !== null &&
    days < retentionConfirmBelowDays &&
    confirmRetentionDays !== days &&
    days !== ctx.settings.current.retentionDays
  ) {
    await audit(ctx, auth, 'settings.update', {
      outcome: 'refused',
      detail: { retentionDays: days, why: 'not confirmed' },
    });
    throw new AppError(
      'confirmation_required',
      `A retention of ${days} days deletes every message older than that. To do it, send confirmRetentionDays: ${days}.`,
    );
  }
  const before = ctx.settings.current;
  const next: Partial<Settings> = { ...changes, rateLimits: { ...before.rateLimits, ...changes.rateLimits } };
  if (changes.rateLimits === undefined) delete next.rateLimits;
  const changed = keys.filter(
    (key) => key in next && JSON.stringify(next[key]) !== JSON.stringify(before[key]),
  );
  if (changed.length === 0) return before;
  const at = now();
  await ctx.store.db.transaction().execute(async (trx) => {
    for (const key of changed) {
      const value = JSON.stringify(next[key]);
      await trx
        .insertInto('settings')
        .values({ key, value, updated_at: at, updated_by: auth.user.id })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at, updated_by: auth.user.id }))
        .execute();
    }
  });
  await ctx.settings.load(ctx);
  await audit(ctx, auth, 'settings.update', {
    detail: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: next[key] }])),
  });
  ctx.events.emit('settings.changed', {});
  return ctx.settings.current;
}
