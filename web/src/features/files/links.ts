import { type FileGrant, fileSignature } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { fetchGrant } from '../../api/files';
import { serverUrl } from '../../config';
import type { Chat } from '../../state/chat';

/**
 * File URLs are signed per viewer (see protocol/src/files.ts): this session's grant is fetched once,
 * renewed a minute before it expires, and each file id is signed with its key, once per grant.
 */
export class FileLinks {
  private grant: Promise<FileGrant> | null = null;
  private expires = 0;
  private readonly signatures = new Map<string, Promise<string>>();

  private current(): Promise<FileGrant> {
    if (!this.grant || Date.now() > this.expires - 60_000) {
      this.signatures.clear();
      const asked = fetchGrant().then((grant) => {
        this.expires = Date.parse(grant.expiresAt);
        return grant;
      });
      asked.catch(() => {
        if (this.grant === asked) this.grant = null;
      });
      this.grant = asked;
    }
    return this.grant;
  }

  async sign(url: string, fileId: string): Promise<string> {
    const grant = await this.current();
    let signature = this.signatures.get(fileId);
    if (!signature) {
      signature = fileSignature(grant.key, fileId);
      this.signatures.set(fileId, signature);
    }
    return `${serverUrl}${url.split('?')[0]}?g=${encodeURIComponent(grant.grant)}&s=${await signature}`;
  }
}

const links = new WeakMap<Chat, FileLinks>();
export function fileLinks(chat: Chat): FileLinks {
  let found = links.get(chat);
  if (!found) {
    found = new FileLinks();
    links.set(chat, found);
  }
  return found;
}

/** A file's URL signed for this viewer; undefined until it is ready. */
export function useSignedUrl(chat: Chat, url: string | undefined, fileId: string): string | undefined {
  const [signed, setSigned] = useState<string>();
  useEffect(() => {
    if (!url) return;
    let live = true;
    fileLinks(chat)
      .sign(url, fileId)
      .then((value) => live && setSigned(value))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [chat, url, fileId]);
  return signed;
}
