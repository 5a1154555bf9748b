import { createECDH } from 'node:crypto';
import { attentionLimits, type PushSubscriptionBody } from '@parley/protocol';
import { fail } from '../../../errors.js';
import type { Auth } from '../../accounts/sessions.js';
import type { Ctx } from '../../context.js';
import { newId, now } from '../../ids.js';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

function decoded(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]+=*$/.test(value)) return undefined;
  return Buffer.from(value, 'base64url');
}

/**
 * A subscription Parley will send to: an https endpoint (plain http only on the loopback interface,
 * and only when PUSH_ALLOW_LOOPBACK says so, for tests), the browser's P-256 public key (a point on the
 * curve, 65 bytes uncompressed) and its 16-byte auth secret.
 */
function check(ctx: Ctx, body: PushSubscriptionBody): void {
  let url: URL;
  try {
    url = new URL(body.endpoint);
  } catch {
    fail('invalid_subscription', 'The endpoint is not a URL.');
  }
  const loopback = url.protocol === 'http:' && loopbackHosts.has(url.hostname);
  if (url.protocol !== 'https:' && !(loopback && ctx.config.attention.pushAllowLoopback))
    fail('invalid_subscription', 'Push endpoints are https URLs.');
  if (url.username || url.password) fail('invalid_subscription', 'The endpoint carries credentials.');
  const key = decoded(body.keys.p256dh);
  const auth = decoded(body.keys.auth);
  if (key?.length !== 65 || key[0] !== 4) fail('invalid_subscription', 'The p256dh key is malformed.');
  if (auth?.length !== 16) fail('invalid_subscription', 'The auth secret is malformed.');
  try {
    // Only a point on the curve survives a key agreement.
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    ecdh.computeSecret(key);
  } catch {
    fail('invalid_subscription', 'The p256dh key is not a P-256 public key.');
  }
}

/**
 * Stores (or refreshes) a browser's subscription for the caller's session. An endpoint belongs to one
 * browser profile: subscribing it again, even as someone else, moves it to whoever subscribes now.
 */
export async function subscribe(ctx: Ctx, auth: Auth, body: PushSubscriptionBody): Promise<void> {
  check(ctx, body);
  const { db } = ctx.store;
  const owned = await db
    .selectFrom('push_subscriptions')
    .select(['endpoint'])
    .where('user_id', '=', auth.user.id)
    .execute();
  const known = owned.some((row) => row.endpoint === body.endpoint);
  if (!known && owned.length >= attentionLimits.pushSubscriptionsMax) fail('too_many_subscriptions');
  const row = {
    user_id: auth.user.id,
    session_id: auth.sessionId,
    p256dh: body.keys.p256dh,
    auth: body.keys.auth,
  };
  await db
    .insertInto('push_subscriptions')
    .values({ id: newId(), endpoint: body.endpoint, created_at: now(), ...row })
    .onConflict((oc) => oc.column('endpoint').doUpdateSet(row))
    .execute();
}

/** Forgets one of the caller's subscriptions (someone else's endpoint is left alone). */
export async function unsubscribe(ctx: Ctx, auth: Auth, endpoint: string): Promise<void> {
  await ctx.store.db
    .deleteFrom('push_subscriptions')
    .where('user_id', '=', auth.user.id)
    .where('endpoint', '=', endpoint)
    .execute();
}

export interface StoredSubscription {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** The person's subscriptions whose sessions are still alive. */
export async function liveSubscriptions(ctx: Ctx, userId: string): Promise<StoredSubscription[]> {
  return ctx.store.db
    .selectFrom('push_subscriptions as p')
    .innerJoin('sessions as s', 's.id', 'p.session_id')
    .select(['p.id', 'p.endpoint', 'p.p256dh', 'p.auth'])
    .where('p.user_id', '=', userId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now())
    .execute();
}

/** The push service says the subscription is gone (404, 410): it is. */
export async function dropSubscription(ctx: Ctx, id: string): Promise<void> {
  await ctx.store.db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
}
