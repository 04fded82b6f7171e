import { EventEmitter, on } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '../../lib/logger';

/** What happened to an enquiry, as its followers and the libraries' desks are told. */
export interface DeskEvent {
  enquiryId: string;
  kind: string;
  /** The message the event added, if any. */
  messageId: string | null;
  at: string;
  /** The libraries whose desks it concerns: routed to, assigned to, or passed away from. */
  members: string[];
  /** Whether it concerns the network's queue (a NEW enquiry routed to no library in particular). */
  network: boolean;
}

const CHANNEL = 'kbg:reference:events';

/**
 * The desk's events among every replica of the reference subgraph: through Redis pub/sub when REDIS_URL is
 * set (each replica hears each event once, its own included), in this process's memory otherwise.
 */
export class DeskEvents {
  private readonly local = new EventEmitter();
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;

  constructor(
    private readonly redisUrl: string | undefined,
    private readonly logger: Logger,
  ) {
    // Every subscriber of the process listens here: hundreds of followers are normal, not a leak.
    this.local.setMaxListeners(0);
  }

  async start(): Promise<void> {
    if (!this.redisUrl) return;
    this.publisher = new Redis(this.redisUrl, { maxRetriesPerRequest: 1, disconnectTimeout: 200 });
    this.subscriber = new Redis(this.redisUrl, { disconnectTimeout: 200 });
    for (const redis of [this.publisher, this.subscriber]) {
      redis.on('error', (error: Error) =>
        this.logger.warn({ reason: error.message }, 'desk events: Redis unavailable'),
      );
    }
    this.subscriber.on('message', (_channel: string, text: string) => {
      try {
        this.local.emit('event', JSON.parse(text) as DeskEvent);
      } catch {
        this.logger.warn('desk events: unreadable message ignored');
      }
    });
    await this.subscriber.subscribe(CHANNEL);
  }

  /** Tells every replica; with Redis down, this replica's own subscribers still hear it. */
  async publish(event: DeskEvent): Promise<void> {
    if (!this.publisher) {
      this.local.emit('event', event);
      return;
    }
    try {
      await this.publisher.publish(CHANNEL, JSON.stringify(event));
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message, enquiry: event.enquiryId }, 'desk event told locally only');
      this.local.emit('event', event);
    }
  }

  /**
   * The events `wanted` selects, after `first`: listening starts now, not at the first read, so nothing
   * published after this call is missed. Returning the iterator stops listening.
   */
  subscribe(wanted: (event: DeskEvent) => boolean, first: DeskEvent[] = []): AsyncIterableIterator<DeskEvent> {
    const events = on(this.local, 'event') as AsyncIterableIterator<[DeskEvent]>;
    const queued = [...first];
    const iterator: AsyncIterableIterator<DeskEvent> = {
      async next() {
        const head = queued.shift();
        if (head) return { value: head, done: false };
        for (;;) {
          const read = await events.next();
          if (read.done) return { value: undefined, done: true };
          if (wanted(read.value[0])) return { value: read.value[0], done: false };
        }
      },
      async return() {
        await events.return?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  async stop(): Promise<void> {
    this.local.removeAllListeners();
    for (const redis of [this.publisher, this.subscriber]) await redis?.quit().catch(() => redis.disconnect());
  }
}
