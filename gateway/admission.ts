import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../lib/logger';
import { ErrorCode } from '../lib/errors';

export interface AdmissionConfig {
  /** GraphQL requests the gateway works on at once; more wait their turn. */
  maxConcurrent: number;
  /** Requests that may wait; beyond that a request is refused at once. */
  maxQueued: number;
  /** How long a request may wait for its turn before it is refused. */
  queueTimeoutMs: number;
}

interface Waiting {
  admit(): void;
  refuse(): void;
  timer: NodeJS.Timeout;
}

/**
 * Overload protection in front of GraphQL execution: at most `maxConcurrent` requests are worked on at
 * once and the rest wait in order. Without it, a burst of clients starts everything at once: each request
 * then takes longer than the subgraph and catalogue-node time limits, answers come back partial, nodes'
 * circuits open, and clients that give up leave their work running (a congestion collapse that answered
 * nothing at all with 200 clients on the demo network). With it, work in flight stays within what the
 * machine does in time; a request waits instead, is dropped unstarted when its client has gone, and is
 * refused with 503 + Retry-After (code OVERLOADED) when the queue is full or its wait too long.
 */
export class Admission {
  private active = 0;
  private readonly queue: Waiting[] = [];
  private refused = 0;

  constructor(
    private readonly config: AdmissionConfig,
    private readonly logger: Logger,
  ) {}

  /** Express middleware: admits the request now, queues it, or refuses it. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    const start = () => {
      this.active++;
      let done = false;
      const release = () => {
        if (done) return;
        done = true;
        this.active--;
        this.next();
      };
      res.once('finish', release);
      res.once('close', release);
      if (res.destroyed) return release();
      next();
    };
    if (this.active < this.config.maxConcurrent && this.queue.length === 0) return start();
    if (this.queue.length >= this.config.maxQueued) return this.refuse(res, 'queue full');
    const waiting: Waiting = {
      admit: () => {
        clearTimeout(waiting.timer);
        start();
      },
      refuse: () => this.refuse(res, 'waited too long'),
      timer: setTimeout(() => {
        this.remove(waiting);
        waiting.refuse();
      }, this.config.queueTimeoutMs),
    };
    this.queue.push(waiting);
    // A client that gives up while waiting leaves no work behind.
    res.once('close', () => {
      if (this.remove(waiting)) clearTimeout(waiting.timer);
    });
  };

  /** Requests being worked on and waiting, and how many were refused since start. */
  stats() {
    return { active: this.active, queued: this.queue.length, refused: this.refused };
  }

  private next(): void {
    while (this.active < this.config.maxConcurrent && this.queue.length > 0) this.queue.shift()!.admit();
  }

  private remove(waiting: Waiting): boolean {
    const at = this.queue.indexOf(waiting);
    if (at < 0) return false;
    this.queue.splice(at, 1);
    return true;
  }

  private refuse(res: Response, reason: string): void {
    this.refused++;
    if (this.refused % 100 === 1) this.logger.warn({ reason, ...this.stats() }, 'gateway at capacity: refusing');
    if (res.headersSent || res.writableEnded) return;
    const retryAfter = Math.max(1, Math.ceil(this.config.queueTimeoutMs / 1000 / 4));
    res
      .status(503)
      .set('retry-after', String(retryAfter))
      .json({
        errors: [
          {
            message: `The gateway is at capacity (${reason}); retry in ${retryAfter} s`,
            extensions: { code: ErrorCode.OVERLOADED, http: { status: 503 } },
          },
        ],
      });
  }
}
