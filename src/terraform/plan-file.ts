/**
 * What a saved plan was made against. A terraform plan file is a zip; its `tfstate` entry is the
 * state snapshot the plan started from, whose serial and lineage terraform compares at apply time.
 * berth reads them itself (no terraform run) to refuse a stale plan before applying anything.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface StateMeta {
  /** Increases with every state write; 0 for no state yet. */
  serial: number;
  /** Identifies one state's history; "" for no state yet. */
  lineage: string;
}

export const NO_STATE: StateMeta = { serial: 0, lineage: '' };

/** Serial and lineage of a state document (the output of `terraform state pull`; empty = none). */
export function stateMeta(text: string): StateMeta {
  if (!text.trim()) return { ...NO_STATE };
  const s = JSON.parse(text) as { serial?: number; lineage?: string };
  return { serial: s.serial ?? 0, lineage: s.lineage ?? '' };
}

/** Read one entry of a zip archive (stored or deflated; no zip64, no encryption). */
export function readZipEntry(zip: Buffer, name: string): Buffer | undefined {
  // End of central directory: 22 bytes plus a comment of up to 64 KiB, at the end.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entry = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (entry === name) {
      if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('corrupt zip local header');
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip entry ${name}: unsupported compression method ${method}`);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  return undefined;
}

/** The state a saved plan was made against. */
export function planStateMeta(planFile: string): StateMeta {
  const entry = readZipEntry(readFileSync(planFile), 'tfstate');
  if (!entry) throw new Error(`${planFile}: not a terraform plan (no tfstate entry)`);
  return stateMeta(entry.toString('utf8'));
}
