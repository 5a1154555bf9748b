import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  close(): Promise<void>;
}

type StartServer = (options?: {
  dataDir?: string;
  port?: number;
  env?: Record<string, string>;
}) => Promise<RunningServer>;

// Loaded by path at run time so that `tsc -p web` does not typecheck the server's sources
// under the web client's compiler settings; the signature above is the harness's contract.
const harnessPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'server',
  'test',
  'harness.ts',
);

/** The real Parley server (SQLite in a temp dir unless given) serving web/dist at /. */
export async function startServer(options?: Parameters<StartServer>[0]): Promise<RunningServer> {
  const harness = (await import(pathToFileURL(harnessPath).href)) as { startServer: StartServer };
  return harness.startServer(options);
}
