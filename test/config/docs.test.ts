import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('docs/environment.md', () => {
  it('is what `berth config docs` prints today (regenerate it when the schema changes)', async () => {
    const r = await runCli(['config', 'docs']);
    expect(r.code).toBe(0);
    const page = readFileSync(new URL('../../docs/environment.md', import.meta.url), 'utf8');
    expect(page).toContain(r.stdout.trim());
  });
});
