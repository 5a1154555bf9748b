import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type RunningServer, startServer } from './server';

/** The server tests' OpenID provider (a real oidc-provider): accounts by login, and its issuer URL. */
export interface TestProvider {
  issuer: string;
  accounts: Map<string, Record<string, unknown>>;
  start(clients: Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

// Loaded by path, as support/server.ts loads the server's harness, so `tsc -p web` does not compile
// the server's tests.
const providerPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'server',
  'test',
  'identity',
  'provider.ts',
);

const clientSecret = 'parley-web-test-secret-0123456789';

/**
 * A provider and a Parley server that offers "Sign in with Test IdP" through it, each knowing the
 * other. Close both when done (the server first).
 */
export async function serverWithProvider(): Promise<{ idp: TestProvider; server: RunningServer }> {
  const { openProvider } = (await import(pathToFileURL(providerPath).href)) as {
    openProvider: () => Promise<TestProvider>;
  };
  const idp = await openProvider();
  const server = await startServer({
    env: {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: 'parley',
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_NAME: 'Test IdP',
    },
  });
  await idp.start([
    {
      client_id: 'parley',
      client_secret: clientSecret,
      redirect_uris: [`${server.url}/api/auth/oidc/callback`],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ]);
  return { idp, server };
}
