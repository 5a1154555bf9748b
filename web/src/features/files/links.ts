import { type FileGrant, fileSignature } from '@parley/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
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

  /** Whether links signed now would outlive the next minute (else `sign` fetches a new grant first). */
  get fresh(): boolean {
    return this.grant !== null && Date.now() <= this.expires - 60_000;
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

/**
 * A file's URL signed for this viewer (undefined until it is ready), and `renew`, which signs it again
 * when the grant it was signed with is about to expire: a tab stays open for longer than a grant
 * lasts, and a link signed when its message was first shown would then be refused.
 */
export function useSignedUrl(
  chat: Chat,
  url: string | undefined,
  fileId: string,
): { signed: string | undefined; renew: () => Promise<string | undefined> } {
  const [signed, setSigned] = useState<string>();
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    if (url) {
      fileLinks(chat)
        .sign(url, fileId)
        .then((value) => live.current && setSigned(value))
        .catch(() => {});
    }
    return () => {
      live.current = false;
    };
  }, [chat, url, fileId]);
  const renew = useCallback(async () => {
    const links = fileLinks(chat);
    if (!url || (signed && links.fresh)) return signed;
    const value = await links.sign(url, fileId).catch(() => undefined);
    if (value && live.current) setSigned(value);
    return value;
  }, [chat, url, fileId, signed]);
  return { signed, renew };
}
