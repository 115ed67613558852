/**
 * What the bad-input matrix stands on: a project folder with a valid environment and files of the
 * user's own, a 127.0.0.1 server that stands for AWS and counts every request it gets, and a
 * snapshot of the project's files (berth's own folders excluded) to prove nothing was touched.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';

export interface RecordingEndpoint {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Answers every request with a 500 after recording it: bad input must never get this far. */
export async function recordingEndpoint(): Promise<RecordingEndpoint> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers['x-amz-target'] ?? ''}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

const TEMPLATES = new URL('../../templates/environments/', import.meta.url);
export function template(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, TEMPLATES), 'utf8'));
}

/** The project: environments/prod.json (valid), README.md, stacks/app.ts, mine/ (a folder of the user's), a link. */
export function seedProject(dir: string): void {
  mkdirSync(join(dir, 'environments'));
  writeFileSync(join(dir, 'environments', 'prod.json'), JSON.stringify({ ...template('platform'), name: 'prod' }, null, 2));
  writeFileSync(join(dir, 'environments', 'two.json'), JSON.stringify({ ...template('two-service'), name: 'two' }, null, 2));
  writeFileSync(join(dir, 'README.md'), '# my project\n');
  mkdirSync(join(dir, 'stacks'));
  writeFileSync(join(dir, 'stacks', 'app.ts'), 'export const mine = 1;\n');
  mkdirSync(join(dir, 'mine'));
  writeFileSync(join(dir, 'mine', 'notes.txt'), 'do not delete\n');
  symlinkSync(join(dir, 'mine'), join(dir, 'link-to-mine'));
}

/** Every file outside .berth/ and cdktf.out/: relative path -> sha256 (links by target). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const rel = relative(dir, p);
      if (rel === '.berth' || rel === 'cdktf.out') continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(rel, 'link');
      else if (st.isDirectory()) {
        out.set(rel + '/', 'dir');
        visit(p);
      } else out.set(rel, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  visit(dir);
  return out;
}

export function diff(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}
