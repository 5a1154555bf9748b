import type { MessageFile } from '@parley/protocol';
import type { FileRow } from '../../store/schema.js';
import { fileUrl, thumbUrl } from './paths.js';

/** A file as messages present it, with bare (unsigned) URLs; stored so in `messages.files`. */
export function toMessageFile(
  row: Pick<FileRow, 'id' | 'name' | 'size' | 'type' | 'width' | 'height' | 'thumb_size'>,
): MessageFile {
  const file: MessageFile = {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    type: row.type,
    url: fileUrl(row.id, row.name),
  };
  if (row.width !== null && row.height !== null) {
    file.width = row.width;
    file.height = row.height;
  }
  if (row.thumb_size !== null) file.thumbUrl = thumbUrl(row.id);
  return file;
}
