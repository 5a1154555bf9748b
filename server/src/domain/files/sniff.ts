import { fileNameMax, unsafeFileName } from '@parley/protocol';
import { AppError, fail } from '../../errors.js';

/** Bytes read from the start of an upload to tell its type. */
export const sniffBytes = 64 * 1024;

/** The name as given, refused when it could name a path or carries control characters. */
export function checkName(raw: string | undefined): string {
  const name = (raw ?? '').normalize('NFC').trim();
  if (!name) fail('invalid_file_name', 'The file has no name.');
  if (name.length > fileNameMax || unsafeFileName(name) || name.split(/[/\\]/).includes('..'))
    fail('invalid_file_name');
  return name;
}

/**
 * Extensions whose content the sniffer recognizes, with the types it may find for them: a file so
 * named that turns out to be something else is lying about what it is.
 */
const claims: Record<string, string[]> = {
  png: ['png', 'apng'],
  apng: ['png', 'apng'],
  jpg: ['jpg'],
  jpeg: ['jpg'],
  jpe: ['jpg'],
  gif: ['gif'],
  webp: ['webp'],
  avif: ['avif'],
  bmp: ['bmp'],
  tif: ['tif'],
  tiff: ['tif'],
  heic: ['heic'],
  ico: ['ico'],
  pdf: ['pdf', 'ai'],
  zip: ['zip'],
  gz: ['gz'],
  '7z': ['7z'],
  rar: ['rar'],
  mp3: ['mp3'],
  mp4: ['mp4', 'm4v', 'm4a', 'mov'],
  m4a: ['m4a', 'mp4'],
  mov: ['mov', 'mp4', 'qt'],
  webm: ['webm', 'mkv'],
  wav: ['wav'],
  ogg: ['ogg', 'oga', 'ogv', 'opus'],
  flac: ['flac'],
  docx: ['docx', 'zip'],
  xlsx: ['xlsx', 'zip'],
  pptx: ['pptx', 'zip'],
};

/** Declared types whose content the sniffer recognizes (others, text above all, it cannot tell). */
const checkedType = (type: string) =>
  (type.startsWith('image/') && type !== 'image/svg+xml') || type === 'application/pdf';

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    // A multi-byte character cut at the end of the sample is not a reason to call it binary.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

/**
 * The file's type, from its first bytes; the name and the declared type are only checked against it.
 * What the sniffer cannot recognize is `text/plain` when it reads as UTF-8 text, and otherwise
 * `application/octet-stream`.
 */
export async function sniffType(head: Buffer, name: string, declared: string): Promise<string> {
  // Loaded by the first upload, not at start-up.
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(head);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const claimed = claims[ext];
  const declaredType = declared.toLowerCase().split(';')[0]?.trim() ?? '';
  const lie = () =>
    new AppError(
      'file_type_mismatch',
      `The file is named or declared as ${claimed ? `.${ext}` : declaredType} but its content is ${found ? found.mime : 'not that'}.`,
    );
  if (claimed && (!found || !claimed.includes(found.ext))) throw lie();
  if (checkedType(declaredType) && (!found || found.mime.split('/')[0] !== declaredType.split('/')[0]))
    throw lie();
  if (found) return found.mime;
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

/** Types served as themselves (shown in the page); everything else downloads as an attachment. */
const inline = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
  'audio/flac',
  'audio/mp4',
]);
export const servedInline = (type: string) => inline.has(type);

/** Images the server reads for a thumbnail and dimensions (those browsers show). */
const images = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);
export const isImage = (type: string) => images.has(type);
