/**
 * The timeouts of calls in flight: one timer per timeout length instead of
 * one per call. Calls made with the same `timeout` expire in the order they
 * were made (`Date.now()` never goes back), so each length needs only a
 * queue and a timer for its oldest call. A call that settles is marked, and
 * dropped once it reaches the head; when none is left the timer is cleared,
 * so a Durable Object with nothing in flight has no timer keeping it awake.
 */

/** One call waiting for its result or its deadline; whichever comes first sets `settled`. */
export interface Waiter {
  readonly timeout: number;
  /** Epoch milliseconds. */
  readonly deadline: number;
  settled: boolean;
  readonly expire: () => void;
}

/** The calls of one timeout length, oldest first, from `head` on. */
interface Queue {
  readonly waiters: Waiter[];
  head: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class Deadlines {
  readonly #queues = new Map<number, Queue>();

  /**
   * Starts the clock on a call: `expire` runs once `timeout` milliseconds
   * have passed, unless {@link settle} came first. Exactly one of the two
   * wins.
   */
  add(timeout: number, expire: () => void): Waiter {
    const waiter: Waiter = { timeout, deadline: Date.now() + timeout, settled: false, expire };
    let queue = this.#queues.get(timeout);
    if (queue === undefined) {
      queue = { waiters: [], head: 0, timer: undefined };
      this.#queues.set(timeout, queue);
    }
    queue.waiters.push(waiter);
    if (queue.timer === undefined) this.#arm(timeout, queue, timeout);
    return waiter;
  }

  /** Marks `waiter` settled by its result; `false` if its deadline came first (or it was settled already). */
  settle(waiter: Waiter): boolean {
    if (waiter.settled) return false;
    waiter.settled = true;
    const queue = this.#queues.get(waiter.timeout);
    if (queue) this.#dropSettled(waiter.timeout, queue);
    return true;
  }

  #expire(timeout: number, queue: Queue): void {
    queue.timer = undefined;
    const now = Date.now();
    const { waiters } = queue;
    while (queue.head < waiters.length && waiters[queue.head].deadline <= now) {
      const waiter = waiters[queue.head++];
      if (waiter.settled) continue;
      waiter.settled = true;
      waiter.expire();
    }
    this.#dropSettled(timeout, queue);
    if (this.#queues.get(timeout) === queue && queue.timer === undefined) this.#arm(timeout, queue, waiters[queue.head].deadline - now);
  }

  /** Drops the settled waiters at the head; forgets the queue (and its timer) once none is left. */
  #dropSettled(timeout: number, queue: Queue): void {
    const { waiters } = queue;
    while (queue.head < waiters.length && waiters[queue.head].settled) queue.head++;
    if (queue.head < waiters.length) {
      // Reclaim the dropped slots now and then, not on every call.
      if (queue.head > 1024 && queue.head * 2 > waiters.length) {
        waiters.splice(0, queue.head);
        queue.head = 0;
      }
      return;
    }
    if (queue.timer !== undefined) clearTimeout(queue.timer);
    this.#queues.delete(timeout);
  }

  #arm(timeout: number, queue: Queue, ms: number): void {
    queue.timer = setTimeout(() => this.#expire(timeout, queue), Math.max(ms, 0));
  }
}
