import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A minimal WebSocket client on a raw TCP socket: text frames out, unmasked frames in, no
 * extensions. The `ws` client costs several µs per received frame (a stream, an event, a copy);
 * here a read of many frames is one callback and each frame is a view into the read buffer, so the
 * generator can count deliveries far faster than any server can produce them.
 */
const readBuffer = Buffer.alloc(256 * 1024);

export class RawWebSocket {
  private readonly socket: Socket;
  private pending: Buffer | undefined;
  private upgraded = false;
  onOpen: () => void = () => {};
  onMessage: (frame: Buffer) => void = () => {};
  onClose: (error?: Error) => void = () => {};

  constructor(url: string) {
    const { hostname, port, pathname, search } = new URL(url);
    // `onread` reads into one shared buffer with no stream machinery and no Buffer per read; frames
    // are handled before the callback returns, and a partial frame is copied out.
    this.socket = connect({
      host: hostname,
      port: Number(port),
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (bytes: number, buffer: Uint8Array) => {
          this.read(Buffer.from(buffer.buffer, buffer.byteOffset, bytes));
          return true;
        },
      },
    });
    this.socket.on('connect', () => {
      const key = randomBytes(16).toString('base64');
      this.socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on('error', (error) => this.onClose(error));
    this.socket.on('close', () => this.onClose());
  }

  private read(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    if (!this.upgraded) {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) {
        this.pending = Buffer.from(data);
        return;
      }
      if (!data.subarray(0, 12).toString().includes(' 101')) {
        this.onClose(new Error(`upgrade refused: ${data.subarray(0, end).toString().split('\r\n')[0]}`));
        this.socket.destroy();
        return;
      }
      this.upgraded = true;
      this.onOpen();
      data = data.subarray(end + 4);
    }
    let offset = 0;
    while (offset + 2 <= data.length) {
      const opcode = data[offset]! & 0x0f;
      let length = data[offset + 1]! & 0x7f;
      let header = 2;
      if (length === 126) {
        if (offset + 4 > data.length) break;
        length = data.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (offset + 10 > data.length) break;
        length = Number(data.readBigUInt64BE(offset + 2));
        header = 10;
      }
      if (offset + header + length > data.length) break;
      const payload = data.subarray(offset + header, offset + header + length);
      offset += header + length;
      if (opcode === 0x1 || opcode === 0x2) this.onMessage(payload);
      else if (opcode === 0x9) this.frame(0xa, payload);
      else if (opcode === 0x8) this.socket.end();
      // Fragmented messages (opcode 0) never come from these servers at these sizes.
    }
    // The read buffer is reused by the next read: keep a copy of what is left.
    if (offset < data.length) this.pending = Buffer.from(data.subarray(offset));
  }

  /** Client frames must be masked; an all-zero mask is valid and leaves the payload as is. */
  private frame(opcode: number, payload: Buffer): void {
    const length = payload.length;
    const header = length < 126 ? 6 : length < 65536 ? 8 : 14;
    const frame = Buffer.allocUnsafe(header + length);
    frame[0] = 0x80 | opcode;
    if (length < 126) frame[1] = 0x80 | length;
    else if (length < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    frame.writeUInt32BE(0, header - 4);
    payload.copy(frame, header);
    this.socket.write(frame);
  }

  send(text: string): void {
    this.frame(0x1, Buffer.from(text));
  }

  close(): void {
    this.socket.destroy();
  }
}
