import { describe, expect, it } from 'vitest';
import { startServer } from '../harness.js';
import { services } from './cluster.js';

describe.skipIf(!services)('configuration for several nodes', () => {
  it('refuses to start on PostgreSQL without a JWT_SECRET, which every node must share', async () => {
    await expect(startServer({ env: { JWT_SECRET: '' } })).rejects.toThrow(/JWT_SECRET/);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', async () => {
    await expect(startServer({ env: { DATABASE_URL: 'mysql://localhost/parley' } })).rejects.toThrow(
      /postgres:\/\//,
    );
  });
});
