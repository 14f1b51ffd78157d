import { Writable } from 'node:stream';
import type { ChannelModel } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { coalesceWrites } from '../src/broker.js';

/** A socket stand-in recording how many frames each write to the "kernel" carried. */
function recordingStream(): { stream: Writable; writes: number[] } {
  const writes: number[] = [];
  const stream = new Writable({
    write(_chunk, _encoding, callback) {
      writes.push(1);
      callback();
    },
    writev(chunks, callback) {
      writes.push(chunks.length);
      callback();
    },
  });
  return { stream, writes };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesceWrites', () => {
  it('sends the frames written in one tick in one write, and a later tick in its own', async () => {
    const { stream, writes } = recordingStream();
    coalesceWrites({ connection: { stream } } as unknown as ChannelModel);
    stream.write('method');
    stream.write('header');
    stream.write('body');
    await nextTurn();
    expect(writes).toEqual([3]);
    stream.write('ack');
    await nextTurn();
    expect(writes).toEqual([3, 1]);
  });

  it('wraps a socket once however often the connection is set up', async () => {
    const { stream, writes } = recordingStream();
    const model = { connection: { stream } } as unknown as ChannelModel;
    coalesceWrites(model);
    coalesceWrites(model);
    stream.write('a');
    stream.write('b');
    await nextTurn();
    expect(writes).toEqual([2]);
  });
});
