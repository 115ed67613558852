/**
 * A dozen broken environment files, each fed to `berth synth` and `berth config validate`:
 * exit code 2, a message naming the JSON path, the value found and what was expected, every
 * problem listed at once, and nothing written.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

const template = JSON.parse(readFileSync(new URL('../../templates/environments/platform.json', import.meta.url), 'utf8'));

function variant(name: string, mutate: (e: any) => void): any {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  const e = structuredClone(template);
  e.name = name;
  mutate(e);
  return e;
}

interface Case {
  name: string;
  /** Raw file text, or an object to serialise. */
  content: string | object;
  /** Each expected fragment must appear in stderr. */
  expect: string[];
  /** How many problems the message must count. */
  problems?: number;
}

const cases: Case[] = [
  {
    name: 'syntax',
    content: '{ "name": "syntax", "app": "x", ',
    expect: ['line 1, column', 'the end of the file; expected a key in double quotes'],
  },
  { name: 'not-object', content: '[1, 2, 3]', expect: ['(root)', 'found [1,2,3]', 'expected an object'] },
  {
    name: 'bad-port',
    content: variant('bad-port', (e) => (e.services[0].port = 70000)),
    expect: ['services[0].port', 'found 70000', 'an integer from 1 to 65535'],
  },
  {
    name: 'fargate-pair',
    content: variant('fargate-pair', (e) => ((e.services[0].cpu = 256), (e.services[0].memory = 4096))),
    expect: ['services[0].memory', 'found 4096', 'a Fargate memory size for cpu 256: 512, 1024, 2048'],
  },
  {
    name: 'bad-region',
    content: variant('bad-region', (e) => (e.region = 'seoul')),
    expect: ['region', 'found "seoul"', 'an AWS region'],
  },
  {
    name: 'bad-engine',
    content: variant('bad-engine', (e) => (e.database.engine = 'oracle')),
    expect: ['database.engine', 'found "oracle"', 'one of "postgresql", "mysql"'],
  },
  {
    name: 'capacity',
    content: variant('capacity', (e) => ((e.database.minCapacity = 8), (e.database.maxCapacity = 4))),
    expect: ['database.minCapacity', 'found 8', 'at most database.maxCapacity (4)'],
  },
  {
    name: 'auth-no-tls',
    content: variant('auth-no-tls', (e) => ((e.cache.transitEncryption = false), (e.cache.authToken = true))),
    expect: ['cache.authToken', 'found true', 'ElastiCache needs TLS for AUTH'],
  },
  {
    name: 'no-services',
    content: variant('no-services', (e) => (e.services = [])),
    expect: ['services', 'found []', 'with at least 1 item'],
  },
  {
    name: 'unknown-field',
    content: variant('unknown-field', (e) => (e.databse = { engine: 'mysql' })),
    expect: ['databse', 'no such field', 'known fields:'],
  },
  {
    name: 'counts',
    content: variant('counts', (e) => ((e.services[0].minCount = 3), (e.services[0].maxCount = 2), (e.services[0].desiredCount = 5))),
    expect: ['services[0].minCount', 'found 3', 'at most maxCount (2)', 'services[0].desiredCount'],
  },
  {
    name: 'secret-ref',
    content: variant('secret-ref', (e) => (e.services[0].secrets = { DB: '@database:host', 'BAD NAME': 'x/y' })),
    expect: [
      'services[0].secrets.DB',
      '"@database:<key>" with key one of username, password',
      'services[0].secrets.BAD NAME',
      'an environment variable name',
    ],
  },
  {
    name: 'name-mismatch',
    content: variant('something-else', () => {}),
    expect: ['name', 'found "something-else"', '"name-mismatch", the file\'s name'],
  },
  {
    name: 'many',
    content: variant('many', (e) => {
      e.app = 'Bad App';
      e.network.cidr = '10.0.0.1/16';
      e.state = { backend: 's3' };
      e.domain.zone = 'existing';
      e.services[0].healthPath = 'health';
    }),
    expect: ['app', 'network.cidr', 'no host bits', 'state.bucket', 'domain.zoneId', 'services[0].healthPath', 'an absolute URL path'],
    problems: 5,
  },
];

describe('broken environment files', () => {
  let project: { dir: string; cleanup: () => void };
  beforeAll(() => {
    project = tempProject();
    mkdirSync(join(project.dir, 'environments'));
    for (const c of cases) {
      writeFileSync(
        join(project.dir, 'environments', `${c.name}.json`),
        typeof c.content === 'string' ? c.content : JSON.stringify(c.content, null, 2),
      );
    }
  });
  afterAll(() => project.cleanup());

  it('has a dozen cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  for (const c of cases) {
    it(`${c.name}: synth exits 2, names path, value and expectation, writes nothing`, async () => {
      const r = await runCli(['synth', '--env', c.name], { project: project.dir });
      expect(r.code).toBe(2);
      for (const frag of c.expect) expect(r.stderr).toContain(frag);
      expect(r.stderr).toContain(join('environments', `${c.name}.json`));
      if (c.problems) expect(r.stderr).toContain(`${c.problems} problems`);
      expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
      expect(existsSync(join(project.dir, 'cdktf.out'))).toBe(false);
      expect(existsSync(join(project.dir, '.berth'))).toBe(false);
    });
  }

  it('config validate --json reports the issues as data', async () => {
    const r = await runCli(['config', 'validate', '--env', 'bad-port', '--json'], { project: project.dir });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error.details.issues).toEqual([{ path: 'services[0].port', value: 70000, expected: 'an integer from 1 to 65535' }]);
  });

  it('an unknown environment name is a usage error with a hint', async () => {
    const r = await runCli(['synth', '--env', 'nowhere'], { project: project.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no environment file');
    expect(r.stderr).toContain('berth init nowhere');
  });

  it('a malformed --env value is rejected before any file is read', async () => {
    const r = await runCli(['synth', '--env', '../../etc/passwd'], { project: project.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--env "../../etc/passwd"');
  });
});
