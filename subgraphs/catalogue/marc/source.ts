/**
 * The input of a reader as a pull-based sequence of Buffers, with a look-ahead for format detection.
 * Nothing is read before the consumer asks for it, so a slow consumer holds back the file stream.
 */

/** Anything the readers accept: a Node stream (binary) or any async iterable of Buffers or strings. */
export type ByteInput = NodeJS.ReadableStream | AsyncIterable<Buffer | Uint8Array | string>;

function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Wraps an input; `peek` looks at the first bytes without consuming them, iteration yields everything once. */
export class ByteSource implements AsyncIterable<Buffer> {
  private readonly iterator: AsyncIterator<Buffer | Uint8Array | string>;
  private head: Buffer[] = [];
  private headLength = 0;
  private ended = false;
  private iterated = false;

  constructor(input: ByteInput) {
    const iterable = input as AsyncIterable<Buffer | Uint8Array | string>;
    this.iterator = iterable[Symbol.asyncIterator]();
  }

  /** At least `bytes` bytes from the start (fewer at end of input), without consuming them. */
  async peek(bytes: number): Promise<Buffer> {
    while (this.headLength < bytes && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      const chunk = toBuffer(next.value);
      if (chunk.length === 0) continue;
      this.head.push(chunk);
      this.headLength += chunk.length;
    }
    return Buffer.concat(this.head, this.headLength);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    if (this.iterated) throw new Error('A ByteSource can be read only once');
    this.iterated = true;
    try {
      const head = this.head;
      this.head = [];
      this.headLength = 0;
      yield* head;
      while (!this.ended) {
        const next = await this.iterator.next();
        if (next.done) {
          this.ended = true;
          break;
        }
        const chunk = toBuffer(next.value);
        if (chunk.length > 0) yield chunk;
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading: a consumer that gives up early lets the underlying stream release its file handle. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.iterator.return?.();
  }
}
