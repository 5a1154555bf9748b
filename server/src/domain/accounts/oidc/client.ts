import type * as oidc from 'openid-client';
import type { OidcConfig } from '../../../config.js';
import { fail } from '../../../errors.js';
import type { Ctx } from '../../context.js';

const discoveries = new WeakMap<OidcConfig, Promise<oidc.Configuration>>();

/**
 * The provider's metadata and keys, read from its discovery document the first time a sign-on starts
 * (not at boot: a provider that is down must not keep the chat from starting). A failed discovery is
 * forgotten, so the next sign-on tries again. Plain http is accepted only for a provider on this
 * machine (a development or test setup), never across a network.
 */
export async function providerOf(
  ctx: Ctx,
): Promise<{ config: OidcConfig; client: oidc.Configuration; lib: typeof oidc }> {
  const config = ctx.config.oidc;
  if (!config) fail('sso_not_configured');
  // Loaded by the first sign-on, not at start-up: most servers have no provider configured.
  const lib = await import('openid-client');
  let discovery = discoveries.get(config);
  if (!discovery) {
    const issuer = new URL(config.issuer);
    const local = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    discovery = lib.discovery(
      issuer,
      config.clientId,
      config.clientSecret,
      config.clientSecret ? lib.ClientSecretPost(config.clientSecret) : lib.None(),
      {
        // The ID token's signature is checked against the provider's published keys even though it
        // comes straight from the token endpoint (openid-client skips that by default, trusting TLS):
        // a token endpoint that is misdirected, proxied or spoofed must not be able to name anyone.
        execute: [
          lib.enableNonRepudiationChecks,
          ...(local && issuer.protocol === 'http:' ? [lib.allowInsecureRequests] : []),
        ],
        timeout: 10,
      },
    );
    discoveries.set(config, discovery);
    discovery.catch((error: unknown) => {
      discoveries.delete(config);
      ctx.log.warn({ err: error, issuer: config.issuer }, 'OpenID Connect discovery failed');
    });
  }
  try {
    return { config, client: await discovery, lib };
  } catch {
    fail('unavailable', 'The sign-on provider cannot be reached right now; try again shortly.');
  }
}
