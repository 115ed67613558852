/**
 * Debian's Chromium, headless, for the diagram tests: dump a page's DOM after its scripts ran, or
 * screenshot it. A missing browser FAILS the test naming what to install (.ci/run installs it).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--hide-scrollbars',
];

export function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium); .ci/run does it when missing.`,
    );
}

export async function chromium(args: string[], timeoutMs = 60_000): Promise<string> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'berth-chromium-'));
  try {
    return await new Promise((resolve, reject) => {
      execFile(
        CHROMIUM,
        [...FLAGS, `--user-data-dir=${profile}`, ...args],
        { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => (err ? reject(new Error(`chromium failed: ${err.message}\n${stderr.slice(-2000)}`)) : resolve(stdout)),
      );
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
