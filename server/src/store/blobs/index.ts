import path from 'node:path';
import type { Config } from '../../config.js';
import { diskBlobs } from './disk.js';
import type { BlobStore } from './types.js';

export type { BlobStore, ByteRange } from './types.js';

/** DATA_DIR/files unless S3_BUCKET names object storage (required for several nodes). */
export async function openBlobs(config: Config): Promise<BlobStore> {
  if (!config.files.s3) return diskBlobs(path.join(config.dataDir, 'files'));
  // Loaded only when used: a node on disk never pays for the AWS SDK's memory.
  const { s3Blobs } = await import('./s3.js');
  return s3Blobs(config.files.s3);
}
