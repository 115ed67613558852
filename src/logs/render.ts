/** How a log event is printed: time, a short stream label (one colour per stream on a TTY), message. */
import type { LogEvent } from './interleave.js';

/** `api/api/0f1e2d3c4b5a...` (prefix/container/task id) -> `api/0f1e2d3c`. */
export function shortStream(name: string): string {
  const parts = name.split('/');
  if (parts.length >= 3) return `${parts[parts.length - 2]}/${parts[parts.length - 1]!.slice(0, 8)}`;
  return name.length > 24 ? name.slice(0, 24) : name;
}

export function taskIdOfStream(name: string): string | undefined {
  const parts = name.split('/');
  return parts.length >= 3 ? parts[parts.length - 1] : undefined;
}

export const PALETTE = [
  'cyan',
  'magenta',
  'yellow',
  'green',
  'blue',
  'redBright',
  'cyanBright',
  'magentaBright',
  'yellowBright',
  'greenBright',
  'blueBright',
] as const;
export type Colour = (typeof PALETTE)[number];

/** A stable colour per stream name (FNV-1a hash into the palette). */
export function colourFor(stream: string): Colour {
  let h = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) {
    h ^= stream.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return PALETTE[h % PALETTE.length]!;
}

export function formatEvent(ev: LogEvent, paint?: (colour: Colour, s: string) => string): string {
  const label = shortStream(ev.logStreamName);
  const time = new Date(ev.timestamp).toISOString();
  const msg = ev.message.replace(/\r?\n$/, '');
  return `${time} ${paint ? paint(colourFor(ev.logStreamName), label) : label} ${msg}`;
}

export function jsonEvent(ev: LogEvent): Record<string, unknown> {
  return {
    timestamp: new Date(ev.timestamp).toISOString(),
    stream: ev.logStreamName,
    task: taskIdOfStream(ev.logStreamName),
    message: ev.message.replace(/\r?\n$/, ''),
    eventId: ev.eventId,
  };
}
