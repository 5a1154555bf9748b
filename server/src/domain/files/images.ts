import fs from 'node:fs';
import type { Metadata, Sharp } from 'sharp';
import { AppError } from '../../errors.js';

// libvips works in libuv's thread pool, off the event loop; one thread per image and no operation
// cache keep its memory and CPU bounded on a small server. At most two images are worked on at once.
// Loaded on the first image: a node that never sees one never maps libvips.
let loaded: Promise<typeof import('sharp')> | undefined;
const sharpLib = () => {
  loaded ??= import('sharp').then((module) => {
    module.default.cache(false);
    module.default.concurrency(1);
    return module;
  });
  return loaded.then((module) => module.default);
};
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

export interface ImageResult {
  width: number;
  height: number;
  /** A WebP thumbnail (animated for an animated image), written to `thumbPath`. */
  thumbSize: number;
  /** Set when the original carried metadata and was written again without it (to `cleanPath`). */
  cleanSize?: number;
}

const thumbEdge = 480;
const reencode = {
  'image/jpeg': (image: Sharp) => image.jpeg({ quality: 92 }),
  'image/png': (image: Sharp) => image.png(),
  'image/webp': (image: Sharp) => image.webp({ quality: 92 }),
  'image/avif': (image: Sharp) => image.avif({ quality: 70 }),
} as Record<string, (image: Sharp) => Sharp>;

function refusal(error: unknown): AppError {
  const message = String((error as Error)?.message ?? error);
  if (/pixel limit/i.test(message)) return new AppError('image_too_large');
  return new AppError('invalid_image');
}

/**
 * Reads an image's dimensions and makes its thumbnail. The pixel count is checked from the header
 * before anything is decoded (and libvips enforces it again), so a small file that would decode to
 * gigabytes — a decompression bomb — is refused. EXIF orientation is applied; what is served carries
 * no metadata: the thumbnail never does, and an original with EXIF, XMP or IPTC (a phone photo's GPS
 * position) is written again without it. An animated GIF is kept as it is, with an animated thumbnail.
 */
export function processImage(
  source: string,
  type: string,
  maxPixels: number,
  out: { thumbPath: string; cleanPath: string },
): Promise<ImageResult> {
  return slot(async () => {
    const sharp = await sharpLib();
    const animated = type === 'image/gif' || type === 'image/webp';
    const open = () => sharp(source, { limitInputPixels: maxPixels, animated, failOn: 'error' });
    let meta: Metadata;
    try {
      meta = await open().metadata();
    } catch (error) {
      throw refusal(error);
    }
    const width = meta.width ?? 0;
    const pageHeight = meta.pageHeight ?? meta.height ?? 0;
    const pages = meta.pages ?? 1;
    if (!width || !pageHeight) throw new AppError('invalid_image');
    if (width * pageHeight * pages > maxPixels) throw new AppError('image_too_large');
    const turned = (meta.orientation ?? 1) >= 5;
    try {
      const thumb = await open()
        .rotate()
        .resize(thumbEdge, thumbEdge, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 78, effort: 2 })
        .toFile(out.thumbPath);
      const result: ImageResult = {
        width: turned ? pageHeight : width,
        height: turned ? width : pageHeight,
        thumbSize: thumb.size,
      };
      const writer = reencode[type];
      const carries = meta.exif || meta.xmp || meta.iptc || (meta.orientation ?? 1) > 1;
      if (writer && carries && type !== 'image/gif') {
        const clean = await writer(open().rotate().keepIccProfile()).toFile(out.cleanPath);
        result.cleanSize = clean.size;
      }
      return result;
    } catch (error) {
      await Promise.all([out.thumbPath, out.cleanPath].map((file) => fs.promises.rm(file, { force: true })));
      throw refusal(error);
    }
  });
}

/** A square avatar, centred, as WebP; metadata never kept. */
export function squareAvatar(source: string, maxPixels: number, to: string): Promise<{ size: number }> {
  return slot(async () => {
    const sharp = await sharpLib();
    try {
      const meta = await sharp(source, { limitInputPixels: maxPixels }).metadata();
      if ((meta.width ?? 0) * (meta.height ?? 0) > maxPixels) throw new AppError('image_too_large');
      const info = await sharp(source, { limitInputPixels: maxPixels, failOn: 'error' })
        .rotate()
        .resize(256, 256, { fit: 'cover', position: 'attention' })
        .webp({ quality: 82 })
        .toFile(to);
      return { size: info.size };
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw refusal(error);
    }
  });
}
