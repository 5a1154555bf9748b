import fs from 'node:fs';
import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { FilesConfig } from '../../config.js';
import type { BlobStore, ByteRange } from './types.js';

const prefix = 'files/';

/**
 * Blobs in any S3-compatible object storage (AWS, MinIO, Garage, Ceph, R2 …) through the AWS SDK: what
 * several nodes share. A put streams the finished local file with its length known, so one PUT
 * suffices up to S3's 5 GB and nothing is buffered in memory.
 */
export function s3Blobs(options: NonNullable<FilesConfig['s3']>): BlobStore {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    // The SDK's default since 2025 streams uploads with trailing checksums (aws-chunked), which many
    // S3-compatible servers do not speak and some store verbatim; plain PUTs work everywhere.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
  });
  const Bucket = options.bucket;
  return {
    kind: 's3',
    async put(key, from, size, type) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket,
            Key: prefix + key,
            Body: fs.createReadStream(from),
            ContentLength: size,
            ContentType: type,
          }),
        );
      } finally {
        await fs.promises.rm(from, { force: true });
      }
    },
    async get(key, range?: ByteRange): Promise<Readable | null> {
      try {
        const reply = await client.send(
          new GetObjectCommand({
            Bucket,
            Key: prefix + key,
            Range: range ? `bytes=${range.start}-${range.end}` : undefined,
          }),
        );
        return reply.Body as Readable;
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const Objects = keys.slice(i, i + 1000).map((key) => ({ Key: prefix + key }));
        await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }));
      }
    },
    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
    async close() {
      client.destroy();
    },
  };
}
