import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { textFrame } from '../src/realtime/wire.js';

// `ws` frames what Engine.IO sends everywhere else; the frames written directly must be the same bytes.
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
};

describe('textFrame', () => {
  it('frames a payload byte for byte as ws does, across the three length forms', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 200_000]) {
      const payload = Buffer.alloc(length, 'a');
      const expected = Buffer.concat(
        Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }),
      );
      expect(textFrame(payload).equals(expected), `length ${length}`).toBe(true);
    }
  });
});
