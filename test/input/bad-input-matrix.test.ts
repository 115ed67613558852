/**
 * The bad-input matrix (issue 10): every case exits with its code and stable error id, prints one
 * JSON document with an `error` object under --json, names the field or argument, the value and
 * what was expected, changes no file outside berth's own folders, and makes no request to the
 * (recording) AWS endpoint. In-process (test/helpers/cli.ts): the whole matrix runs in seconds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { CASES, FILES, type Case } from './cases.js';
import { diff, recordingEndpoint, seedProject, snapshot, type RecordingEndpoint } from './matrix-support.js';

let project: { dir: string; cleanup: () => void };
let aws: RecordingEndpoint;

beforeAll(async () => {
  project = tempProject('berth-matrix-');
  seedProject(project.dir);
  for (const [name, content] of Object.entries(FILES)) writeFileSync(join(project.dir, 'environments', `${name}.json`), content);
  mkdirSync(join(project.dir, 'mine', 'x.json'));
  aws = await recordingEndpoint();
});
afterAll(async () => {
  await aws.close();
  project.cleanup();
});

function envFor(c: Case): Record<string, string | undefined> {
  return {
    BERTH_AWS_ENDPOINT_URL: aws.url,
    AWS_ACCESS_KEY_ID: 'AKIDMATRIXFAKE',
    AWS_SECRET_ACCESS_KEY: 'matrix-fake-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    BERTH_PROJECT_DIR: project.dir,
    ...c.env,
  };
}

describe('bad-input matrix', () => {
  it(`holds at least 120 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(120);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const cwd = process.cwd();
    process.chdir(project.dir);
    const before = snapshot(project.dir);
    try {
      const at = c.jsonAt ?? c.args.length;
      const r = await runCli(c.json === false ? c.args : [...c.args.slice(0, at), '--json', ...c.args.slice(at)], { env: envFor(c) });
      const context = `${c.args.join(' ')}\nstdout: ${r.stdout.slice(0, 600)}\nstderr: ${r.stderr.slice(0, 600)}`;
      expect(r.code, context).toBe(c.code);
      expect(r.json, `one JSON document on stdout\n${context}`).toBeDefined();
      expect(r.json.ok, context).toBe(false);
      expect(r.json.error.code, context).toBe(c.id);
      expect(r.json.error.exitCode, context).toBe(c.code);
      for (const word of c.says) expect(r.json.error.message, context).toContain(word);
      expect(r.json.error.message + (r.json.error.hint ?? ''), context).toMatch(
        /expect|no such|unknown|not specified|argument missing|do not combine|too many|works with|needs|is empty|pass --/i,
      );
      expect(r.stderr, context).toContain('error: ');
      expect(r.stderr + r.stdout, context).not.toMatch(/internal error|This is a bug|\n\s+at .+:\d+:\d+/);
      if (c.never) expect(r.stdout + r.stderr, context).not.toContain(c.never);
    } finally {
      process.chdir(cwd);
    }
    expect(diff(before, snapshot(project.dir)), 'files outside .berth/ and cdktf.out/ changed').toEqual([]);
    expect(aws.requests, 'requests reached the AWS endpoint').toEqual([]);
  });

  it('control: the same project and endpoint, with valid input, does reach the endpoint (the zero above means something)', async () => {
    const r = await runCli(['status', '--env', 'prod', '--json'], { env: envFor({} as Case) });
    expect(aws.requests.length, r.stderr).toBeGreaterThan(0);
    expect(r.code).not.toBe(0);
    aws.requests.length = 0;
  });
});
