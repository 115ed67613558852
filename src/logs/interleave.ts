/**
 * Bounded structures for streaming log events: a reorder buffer that emits events in time order
 * across pages while holding at most `capacity` of them, and a dedupe set for following that keeps
 * only the ids near the newest timestamp. Both have a fixed memory ceiling, whatever the volume.
 */
export interface LogEvent {
  timestamp: number;
  message: string;
  logStreamName: string;
  eventId: string;
  ingestionTime?: number;
}

/** A min-heap by (timestamp, arrival order): stable for events with the same timestamp. */
export class ReorderBuffer {
  private heap: { ev: LogEvent; seq: number }[] = [];
  private seq = 0;
  /** The largest the buffer ever got (for tests and the bench). */
  peak = 0;
  constructor(readonly capacity = 10_000) {}

  get size(): number {
    return this.heap.length;
  }

  /** Add an event; returns the events that must leave (oldest first) to stay within capacity. */
  push(ev: LogEvent): LogEvent[] {
    this.insert({ ev, seq: this.seq++ });
    if (this.heap.length > this.peak) this.peak = this.heap.length;
    const out: LogEvent[] = [];
    while (this.heap.length > this.capacity) out.push(this.pop()!);
    return out;
  }

  /** Everything left, oldest first. */
  drain(): LogEvent[] {
    const out: LogEvent[] = [];
    while (this.heap.length) out.push(this.pop()!);
    return out;
  }

  private less(a: { ev: LogEvent; seq: number }, b: { ev: LogEvent; seq: number }): boolean {
    return a.ev.timestamp < b.ev.timestamp || (a.ev.timestamp === b.ev.timestamp && a.seq < b.seq);
  }

  private insert(x: { ev: LogEvent; seq: number }): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): LogEvent | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top.ev;
  }
}

/**
 * Event ids already printed while following. Each poll re-reads a short window before the newest
 * timestamp (events arrive late); ids older than that window can never come back and are dropped,
 * and a hard cap bounds the set even when one millisecond holds a flood of events.
 */
export class RecentIds {
  private ids = new Map<string, number>();
  newest = 0;
  peak = 0;
  constructor(
    readonly windowMs = 10_000,
    readonly maxIds = 20_000,
  ) {}

  get size(): number {
    return this.ids.size;
  }

  /** True when the id was seen already; otherwise remembers it. */
  seen(ev: Pick<LogEvent, 'eventId' | 'timestamp'>): boolean {
    if (this.ids.has(ev.eventId)) return true;
    this.ids.set(ev.eventId, ev.timestamp);
    if (ev.timestamp > this.newest) this.newest = ev.timestamp;
    if (this.ids.size > this.peak) this.peak = this.ids.size;
    if (this.ids.size > this.maxIds) this.prune();
    return false;
  }

  /** The start time for the next poll: a window before the newest event seen. */
  nextStart(floor: number): number {
    return Math.max(floor, this.newest - this.windowMs);
  }

  /** Drop ids older than the window; then, if still over the cap, the earliest inserted. */
  prune(): void {
    const cutoff = this.newest - this.windowMs;
    for (const [id, ts] of this.ids) if (ts < cutoff) this.ids.delete(id);
    if (this.ids.size > this.maxIds) {
      // Evict down to 90 % of the cap so that a flood does not rescan the set on every insert.
      let excess = this.ids.size - Math.floor(this.maxIds * 0.9);
      for (const id of this.ids.keys()) {
        if (excess-- <= 0) break;
        this.ids.delete(id);
      }
    }
  }
}
