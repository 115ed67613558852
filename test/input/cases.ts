/**
 * The bad-input matrix: environment files, flags and environment variables a tired person or a
 * broken script might give berth. Each case: the arguments, the exit code and stable error id
 * expected, and words the message must hold (the field or argument, the value, what was expected).
 */
import { template } from './matrix-support.js';

export interface Case {
  name: string;
  args: string[];
  code: number;
  id: string;
  /** Each must appear in the error message (case-sensitive). */
  says: string[];
  env?: Record<string, string | undefined>;
  /** Must NOT appear anywhere in the output (a credential). */
  never?: string;
  /** Append --json (default true). */
  json?: boolean;
  /** Insert --json at this index instead of appending it. */
  jsonAt?: number;
}

/** Environment files written into the project's environments/ folder: name -> bytes. */
export const FILES: Record<string, string | Buffer> = {};

const base = () => ({ ...template('platform') }) as Record<string, any>;
const two = () => ({ ...template('two-service') }) as Record<string, any>;

function envFile(name: string, mutate: (e: Record<string, any>) => void, from = base): string {
  const e = structuredClone(from());
  e.name = name;
  mutate(e);
  FILES[name] = JSON.stringify(e, null, 2);
  return name;
}
function rawFile(name: string, content: string | Buffer): string {
  FILES[name] = content;
  return name;
}
const valid = (name: string) => JSON.stringify({ ...base(), name }, null, 2);

const U = {
  range: 'usage.flag-range',
  format: 'usage.flag-format',
  combo: 'usage.flag-combination',
  syntax: 'config.syntax',
  invalid: 'config.invalid',
};

/** `config validate` of a bad file: exit 2, config.invalid, names path, value and expectation. */
function fileCase(name: string, says: string[], id = U.invalid): Case {
  return { name: `file ${name}`, args: ['config', 'validate', '--env', name], code: 2, id, says: [...says, 'expected'] };
}

const FILE_CASES: Case[] = [
  // Text that silently means something else, or is not JSON at all (line and column named).
  fileCase(
    rawFile('dupkey', valid('dupkey').replace('"protected": true', '"protected": true, "protected": false')),
    ['duplicate key "protected"', 'line 6', 'first at line 6'],
    U.syntax,
  ),
  fileCase(
    rawFile('dupnested', valid('dupnested').replace('"port": 8001', '"port": 8001, "port": 9000')),
    ['services[0].port', 'duplicate key "port"'],
    U.syntax,
  ),
  fileCase(
    rawFile('bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid('bom'))])),
    ['byte order mark', 'line 1, column 1'],
    U.syntax,
  ),
  fileCase(
    rawFile('utf16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid('utf16'), 'utf16le')])),
    ['UTF-16', 'line 1, column 1'],
    U.syntax,
  ),
  fileCase(
    rawFile('badutf8', Buffer.concat([Buffer.from('{ "name": "bad'), Buffer.from([0xc3, 0x28]), Buffer.from('" }')])),
    ['not valid UTF-8', 'line 1'],
    U.syntax,
  ),
  fileCase(
    rawFile('comment', valid('comment').replace('{', '{\n  // production\n')),
    ['a comment', 'line 2, column 3', '$comment'],
    U.syntax,
  ),
  fileCase(rawFile('blockcomment', valid('blockcomment').replace('"app"', '/* the app */ "app"')), ['a comment', 'line'], U.syntax),
  fileCase(rawFile('hashcomment', valid('hashcomment').replace('{', '{\n# note\n')), ['a comment ("#")', 'line 2, column 1'], U.syntax),
  fileCase(rawFile('trailobj', valid('trailobj').replace(/\n}\s*$/, ',\n}\n')), ['trailing comma', 'line'], U.syntax),
  fileCase(
    rawFile('trailarr', valid('trailarr').replace('"oncall@example.com"', '"oncall@example.com",')),
    ['trailing comma before "]"', 'line'],
    U.syntax,
  ),
  fileCase(
    rawFile('singleq', valid('singleq').replace('"ap-northeast-2"', "'ap-northeast-2'")),
    ['single-quoted string', 'line'],
    U.syntax,
  ),
  fileCase(rawFile('nan', valid('nan').replace('"maxCapacity": 4', '"maxCapacity": NaN')), ['"NaN"', 'line'], U.syntax),
  fileCase(
    rawFile('huge-number', valid('huge-number').replace('"maxCapacity": 4', '"maxCapacity": 1e999')),
    ['too large', 'line'],
    U.syntax,
  ),
  fileCase(rawFile('unterminated', '{ "name": "unterminated'), ['never ends', 'line 1, column 11'], U.syntax),
  fileCase(rawFile('ctrlchar', '{ "name": "ctrl\u0001char" }'), ['control character', 'line 1'], U.syntax),
  fileCase(rawFile('empty', ''), ['the end of the file', 'line 1, column 1'], U.syntax),
  fileCase(rawFile('blank', '   \n\n  '), ['the end of the file', 'line 3'], U.syntax),
  fileCase(rawFile('garbage-after', valid('garbage-after') + '\n{}'), ['after the end of the document', 'line'], U.syntax),
  fileCase(
    rawFile('deep', '{ "name": "deep", "x": ' + '['.repeat(20000) + ']'.repeat(20000) + ' }'),
    ['nesting deeper than 24 levels', 'line 1'],
    U.syntax,
  ),
  fileCase(
    rawFile('deep-object', '{ "name": "deep-object", "services": [' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + '] }'),
    ['nesting deeper', 'line 1'],
    U.syntax,
  ),
  fileCase(rawFile('toolarge', '{ "name": "toolarge", "pad": "' + 'x'.repeat(300_000) + '" }'), ['at most 262144 bytes'], U.syntax),
  fileCase(rawFile('not-object', '[1, 2, 3]'), ['(root)', 'found [1,2,3]', 'an object']),
  // What AWS would refuse.
  fileCase(
    envFile('dashdash', (e) => (e.app = 'my--app')),
    ['app', '"my--app"', 'two hyphens in a row'],
  ),
  fileCase(
    envFile('tg-collide', (e) => (e.app = 'averyveryverylongapp'), two),
    ['services[1].name', '"api"', 'target group name', 'both become'],
  ),
  fileCase(
    envFile('svc-dash', (e) => (e.services[0].name = 'my--api')),
    ['services[0].name', '"my--api"', 'ECR repository name'],
  ),
  fileCase(
    envFile('repo-bad', (e) => (e.services[0].repository = 'chatbot//api')),
    ['services[0].repository', 'chatbot//api', 'ECR repository name'],
  ),
  fileCase(
    envFile('mysql-pg', (e) => ((e.database.engine = 'mysql'), (e.database.version = '16.6'))),
    ['database.version', '"16.6"', 'Aurora MySQL version', 'PostgreSQL version'],
  ),
  fileCase(
    envFile('pg-mysql', (e) => (e.database.version = '8.0.mysql_aurora.3.08.0')),
    ['database.version', '8.0.mysql_aurora.3.08.0', 'Aurora PostgreSQL version', 'MySQL version'],
  ),
  fileCase(
    envFile('pg12', (e) => (e.database.version = '12.9')),
    ['database.version', '"12.9"', 'major version that Serverless v2 runs'],
  ),
  fileCase(
    envFile('pg160', (e) => (e.database.version = '16.0')),
    ['database.version', '"16.0"', '16.1 or later'],
  ),
  fileCase(
    envFile('mysql301', (e) => ((e.database.engine = 'mysql'), (e.database.version = '8.0.mysql_aurora.3.01.0'))),
    ['database.version', '3.01.0', '3.02.0 or later'],
  ),
  fileCase(
    envFile('multicast', (e) => (e.network.cidr = '224.0.0.0/16')),
    ['network.cidr', '224.0.0.0/16', 'multicast', 'RFC 1918'],
  ),
  fileCase(
    envFile('loopback', (e) => (e.network.cidr = '127.0.0.0/16')),
    ['network.cidr', '127.0.0.0/16', 'loopback'],
  ),
  fileCase(
    envFile('public-cidr', (e) => (e.network.cidr = '8.8.0.0/16')),
    ['network.cidr', '8.8.0.0/16', 'public range'],
  ),
  fileCase(
    envFile('linklocal', (e) => (e.network.cidr = '169.254.0.0/16')),
    ['network.cidr', 'link-local'],
  ),
  fileCase(
    envFile('cidr8', (e) => (e.network.cidr = '10.0.0.0/8')),
    ['network.cidr', '10.0.0.0/8', '/16 to /19'],
  ),
  fileCase(
    envFile('cidr-host', (e) => (e.network.cidr = '10.0.0.1/16')),
    ['network.cidr', '10.0.0.1/16', 'no host bits'],
  ),
  fileCase(
    envFile('cidr-172', (e) => (e.network.cidr = '172.32.0.0/16')),
    ['network.cidr', '172.32.0.0/16', 'private RFC 1918'],
  ),
  fileCase(
    envFile('region-fake', (e) => (e.region = 'ap-northeast-5')),
    ['region', 'ap-northeast-5', 'an AWS region that exists'],
  ),
  fileCase(
    envFile('region-shape', (e) => (e.region = 'mars-east-1')),
    ['region', 'mars-east-1', 'AWS region'],
  ),
  fileCase(
    envFile('state-region', (e) => (e.state.region = 'us-east-9')),
    ['state.region', 'us-east-9', 'exists'],
  ),
  fileCase(
    envFile('bucket-xn', (e) => (e.state.bucket = 'xn--state')),
    ['state.bucket', 'xn--state', 'reserved prefix "xn--"'],
  ),
  fileCase(
    envFile('bucket-dots', (e) => (e.state.bucket = 'my..state')),
    ['state.bucket', 'my..state', 'no ".."'],
  ),
  fileCase(
    envFile('bucket-ip', (e) => (e.state.bucket = '192.168.10.1')),
    ['state.bucket', '192.168.10.1', 'not an IP address'],
  ),
  fileCase(
    envFile('bucket-alias', (e) => (e.state.bucket = 'state-s3alias')),
    ['state.bucket', 'state-s3alias', 'reserved suffix'],
  ),
  fileCase(
    envFile('secret-suffix', (e) => (e.services[0].secrets.OPENAI_API_KEY = 'chatbot/openai-abc123')),
    ['services[0].secrets.OPENAI_API_KEY', 'chatbot/openai-abc123', 'six characters'],
  ),
  // Credentials where a secret NAME belongs: refused, never echoed.
  {
    ...fileCase(
      envFile('akid', (e) => (e.services[0].secrets.OPENAI_API_KEY = 'AKIAIOSFODNN7EXAMPLE')),
      ['services[0].secrets.OPENAI_API_KEY', '(hidden)', 'an AWS access key id'],
    ),
    never: 'AKIAIOSFODNN7EXAMPLE',
  },
  {
    ...fileCase(
      envFile('skkey', (e) => (e.services[0].secrets.OPENAI_API_KEY = 'sk-proj4f9Qz2LmX8vB7nK1wR5tY3')),
      ['services[0].secrets.OPENAI_API_KEY', '"sk-...")'],
    ),
    never: 'sk-proj4f9Qz2LmX8vB7nK1wR5tY3',
  },
  {
    ...fileCase(
      envFile('entropy', (e) => (e.services[0].secrets.OPENAI_API_KEY = 'x9F2kLq8Zr4TmW7pB1nV6cY3hJ5sQe0')),
      ['services[0].secrets.OPENAI_API_KEY', 'long random string'],
    ),
    never: 'x9F2kLq8Zr4TmW7pB1nV6cY3hJ5sQe0',
  },
  {
    ...fileCase(
      envFile('ghtoken', (e) => (e.services[0].secrets.GH = 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789')),
      ['services[0].secrets.GH', 'GitHub token'],
    ),
    never: 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
  },
  {
    ...fileCase(
      envFile('urlpass', (e) => (e.services[0].environment.DATABASE_URL = 'postgres://app:hunter2secret@db.internal/app')),
      ['services[0].environment.DATABASE_URL', 'URL with a password'],
    ),
    never: 'hunter2secret',
  },
  {
    ...fileCase(
      envFile('env-akid', (e) => (e.services[0].environment.AWS_KEY = 'AKIAIOSFODNN7EXAMPLE')),
      ['services[0].environment.AWS_KEY', 'Secrets Manager'],
    ),
    never: 'AKIAIOSFODNN7EXAMPLE',
  },
  // Types, ranges and combinations.
  fileCase(
    envFile('port-string', (e) => (e.services[0].port = '8001')),
    ['services[0].port', '"8001"', 'an integer from 1 to 65535'],
  ),
  fileCase(
    envFile('port-range', (e) => (e.services[0].port = 70000)),
    ['services[0].port', '70000'],
  ),
  fileCase(
    envFile('fargate', (e) => ((e.services[0].cpu = 256), (e.services[0].memory = 4096))),
    ['services[0].memory', '4096', 'Fargate memory size'],
  ),
  fileCase(
    envFile('unknown-field', (e) => (e.protect = false)),
    ['protect', 'no such field'],
  ),
  fileCase(
    envFile('protected-string', (e) => (e.protected = 'false')),
    ['protected', '"false"', 'true or false'],
  ),
  fileCase(
    envFile('name-mismatch', (e) => (e.name = 'other')),
    ['name', '"other"', '"name-mismatch", the file\'s name'],
  ),
  fileCase(
    envFile('no-services', (e) => (e.services = [])),
    ['services', 'at least 1'],
  ),
  fileCase(
    envFile('services-object', (e) => (e.services = { api: {} })),
    ['services', 'a list of'],
  ),
  fileCase(
    envFile('null-db', (e) => (e.database = null)),
    ['database', 'null', 'an object'],
  ),
  fileCase(
    envFile('desired-range', (e) => (e.services[0].desiredCount = 9)),
    ['services[0].desiredCount', '9', 'minCount..maxCount'],
  ),
  fileCase(
    envFile('hc-timeout', (e) => (e.services[0].healthCheck = { intervalSeconds: 5, timeoutSeconds: 5 })),
    ['services[0].healthCheck.timeoutSeconds', 'less than intervalSeconds'],
  ),
  fileCase(
    envFile('auth-no-tls', (e) => (e.cache.transitEncryption = false)),
    ['cache.authToken', 'transitEncryption'],
  ),
  fileCase(
    envFile('local-state', (e) => (e.state = { backend: 'local' })),
    ['state.backend', '"local"', 'sandbox'],
  ),
  fileCase(
    envFile('db-ref', (e) => (e.services[0].secrets.X = '@database:host')),
    ['services[0].secrets.X', '@database:host', 'username, password'],
  ),
  fileCase(
    envFile('capacity', (e) => (e.database.minCapacity = 0.3)),
    ['database.minCapacity', '0.3', 'multiple of 0.5'],
  ),
  fileCase(
    envFile('min-max', (e) => (e.database.minCapacity = 8)),
    ['database.minCapacity', '8', 'at most database.maxCapacity'],
  ),
  fileCase(
    envFile('email', (e) => (e.alarms.emails = ['not-an-email'])),
    ['alarms.emails[0]', 'not-an-email', 'an e-mail address'],
  ),
  fileCase(
    envFile('long-string', (e) => (e.domain.name = 'x'.repeat(5000))),
    ['domain.name', 'xxxxxxxx', 'lowercase domain name'],
  ),
  fileCase(
    envFile('deep-unknown', (e) => (e.extra = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } })),
    ['extra', 'no such field'],
  ),
  fileCase(
    envFile('proto', (e) => (e.__proto__x = 1)),
    ['__proto__x', 'no such field'],
  ),
  fileCase(
    envFile('dup-svc', (e) => e.services.push({ ...e.services[0], pathPattern: '/v2/*' })),
    ['services[1].name', '"api"', 'not already used'],
  ),
];

/** Flags of the AWS-touching commands, refused before any request. */
const ENV = ['--env', 'prod'];
const WATCHED: Array<[string, string[]]> = [
  ['deploy', ['--tag', 'v1']],
  ['rollback', ['--yes']],
  ['restart', []],
  ['scale', ['--count', '2']],
];
const flag = (name: string, args: string[], id: string, says: string[], code = 2): Case => ({ name, args, code, id, says });

const WATCH_CASES: Case[] = WATCHED.flatMap(([cmd, extra]) => [
  flag(`${cmd} --timeout 0`, [cmd, ...ENV, ...extra, '--timeout', '0'], U.range, ['--timeout', '"0"', 'expected 1s to 24h']),
  flag(`${cmd} --timeout 99999h`, [cmd, ...ENV, ...extra, '--timeout', '99999h'], U.range, ['--timeout', '"99999h"', 'expected 1s to 24h']),
  flag(`${cmd} --timeout soon`, [cmd, ...ENV, ...extra, '--timeout', 'soon'], U.format, ['--timeout', '"soon"', 'expected e.g. 90s']),
  flag(`${cmd} --poll-interval 0`, [cmd, ...ENV, ...extra, '--poll-interval', '0'], U.range, [
    '--poll-interval',
    '"0"',
    'expected 50ms to 5m',
  ]),
  flag(`${cmd} --poll-interval 2m --timeout 1m`, [cmd, ...ENV, ...extra, '--poll-interval', '2m', '--timeout', '1m'], U.combo, [
    '--poll-interval',
    '"2m"',
    'shorter than --timeout',
  ]),
  flag(`${cmd} --max-failed-tasks 0`, [cmd, ...ENV, ...extra, '--max-failed-tasks', '0'], U.range, [
    '--max-failed-tasks',
    '"0"',
    'expected a whole number from 1 to 100',
  ]),
  flag(`${cmd} --max-failed-tasks lots`, [cmd, ...ENV, ...extra, '--max-failed-tasks', 'lots'], U.format, [
    '--max-failed-tasks',
    '"lots"',
    'expected a whole number',
  ]),
]);

const FLAG_CASES: Case[] = [
  ...WATCH_CASES,
  flag('scale --count 99999999999999999999', ['scale', ...ENV, '--count', '99999999999999999999'], U.range, [
    '--count',
    '"99999999999999999999"',
    'expected a whole number from 0 to 1000',
  ]),
  flag('scale --count 1001', ['scale', ...ENV, '--count', '1001'], U.range, ['--count', '"1001"', 'from 0 to 1000']),
  flag('scale --count=-1', ['scale', ...ENV, '--count=-1'], U.format, ['--count', '"-1"', 'expected a whole number']),
  flag('scale --count 1.5', ['scale', ...ENV, '--count', '1.5'], U.format, ['--count', '"1.5"', 'expected']),
  flag('scale --count many', ['scale', ...ENV, '--count', 'many'], U.format, ['--count', '"many"', 'expected']),
  flag('scale --count ""', ['scale', ...ENV, '--count', ''], U.format, ['--count', '""', 'expected']),
  flag('deploy without --image or --tag', ['deploy', ...ENV], 'usage.missing-option', ['--image', '--tag']),
  flag('deploy --image and --tag', ['deploy', ...ENV, '--image', 'r/a:v1', '--tag', 'v1'], U.combo, ['--image', '--tag', 'do not combine']),
  flag('deploy --image without a tag', ['deploy', ...ENV, '--image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/app'], U.format, [
    '--image',
    'has no tag',
    'expected <image>:<tag>',
  ]),
  flag('deploy --image garbage', ['deploy', ...ENV, '--image', 'not an image'], U.format, ['--image', '"not an image"', 'expected']),
  flag('deploy --tag -bad', ['deploy', ...ENV, '--tag=-bad'], U.format, ['--tag', '"-bad"', 'expected letters']),
  flag('deploy --strategy bogus', ['deploy', ...ENV, '--tag', 'v1', '--strategy', 'bogus'], U.format, [
    '--strategy',
    '"bogus"',
    'expected one of rolling, blue-green, canary, linear',
  ]),
  flag('deploy --strategy canary --no-rollback', ['deploy', ...ENV, '--tag', 'v1', '--strategy', 'canary', '--no-rollback'], U.combo, [
    '--no-rollback',
    'canary',
    'expected --strategy rolling',
  ]),
  flag('rollback --to 0', ['rollback', ...ENV, '--yes', '--to', '0'], U.range, ['--to', '"0"', 'expected a whole number from 1']),
  flag('rollback --to family:0', ['rollback', ...ENV, '--yes', '--to', 'chatbot-prod-api:0'], U.range, [
    '--to (revision)',
    '"0"',
    'from 1',
  ]),
  flag('rollback --to 99999999999', ['rollback', ...ENV, '--yes', '--to', '99999999999'], U.range, ['--to', '99999999999', 'to 1000000']),
  flag('rollback --to bad arn', ['rollback', ...ENV, '--yes', '--to', 'arn:aws:ecs:us-east-1:1:thing'], U.format, [
    '--to',
    'arn:aws:ecs:us-east-1:1:thing',
    'expected arn:aws:ecs',
  ]),
  flag('rollback --to untagged image', ['rollback', ...ENV, '--yes', '--to', 'nginx'], U.format, [
    '--to',
    '"nginx"',
    'expected a revision number',
  ]),
  flag('rollback --to ""', ['rollback', ...ENV, '--yes', '--to', ''], U.format, ['--to', 'empty', 'expected']),
  flag('rollback without --yes and no terminal', ['rollback', ...ENV], 'usage.not-confirmed', ['--yes', 'no terminal', 'nothing changed']),
  flag('apply without a saved plan, --yes or a terminal', ['apply', ...ENV], 'usage.not-confirmed', [
    'no saved plan',
    'no TTY',
    'nothing was changed',
  ]),
  flag('destroy of a protected environment without --confirm', ['destroy', ...ENV, '--yes'], 'usage.not-confirmed', [
    'prod is protected',
    'nothing was destroyed',
  ]),
  flag('destroy --confirm with the wrong name', ['destroy', ...ENV, '--confirm', 'prd'], 'usage.not-confirmed', [
    '--confirm prd',
    'does not match',
    'nothing was destroyed',
  ]),
  flag('logs --since 99999d', ['logs', ...ENV, '--since', '99999d'], U.range, ['--since', '"99999d"', 'expected 1ms to 3653d']),
  flag('logs --since tomorrow', ['logs', ...ENV, '--since', 'tomorrow'], U.format, ['--since', '"tomorrow"', 'e.g. 10m']),
  flag('logs --since future', ['logs', ...ENV, '--since', '2999-01-01'], U.range, ['--since', '2999-01-01', 'expected a time before now']),
  flag('logs --since 1900', ['logs', ...ENV, '--since', '1900-01-01'], U.range, [
    '--since',
    '1900-01-01',
    'expected a time within the last 3653 days',
  ]),
  flag('logs --since ""', ['logs', ...ENV, '--since', ''], U.format, ['--since', 'empty', 'expected']),
  flag('logs --until with --follow', ['logs', ...ENV, '--until', '1m', '--follow'], U.combo, ['--until', '--follow', 'do not combine']),
  flag('logs --until before --since', ['logs', ...ENV, '--since', '1h', '--until', '2h'], U.combo, [
    '--until',
    '"2h"',
    'expected a later time',
  ]),
  flag('logs --until 99999d', ['logs', ...ENV, '--until', '99999d'], U.range, ['--until', '"99999d"', 'expected']),
  flag('logs --for without --follow', ['logs', ...ENV, '--for', '10m'], U.combo, ['--for', '--follow']),
  flag('logs --follow --for 0', ['logs', ...ENV, '--follow', '--for', '0'], U.range, ['--for', '"0"', 'expected 100ms to 7d']),
  flag('logs --follow --for 30d', ['logs', ...ENV, '--follow', '--for', '30d'], U.range, ['--for', '"30d"', 'expected 100ms to 7d']),
  flag('logs --task bad', ['logs', ...ENV, '--task', 'not-a-task!'], U.format, ['--task', '"not-a-task!"', 'expected e.g.']),
  flag('logs --filter ""', ['logs', ...ENV, '--filter', ''], U.range, [
    '--filter',
    '0 characters',
    'expected a CloudWatch Logs filter pattern of 1 to 1024',
  ]),
  flag('status --watch --json', ['status', ...ENV, '--watch'], U.combo, ['--watch', '--json', 'do not combine']),
  flag('status --for without --watch', ['status', ...ENV, '--for', '1m'], U.combo, ['--for', '--watch']),
  flag('status --interval 0', ['status', ...ENV, '--interval', '0'], U.range, ['--interval', '"0"', 'expected 100ms to 1h']),
  flag('status --interval 2h', ['status', ...ENV, '--interval', '2h'], U.range, ['--interval', '"2h"', 'expected 100ms to 1h']),
  flag('health --timeout 0', ['health', ...ENV, '--timeout', '0'], U.range, ['--timeout', '"0"', 'expected 100ms to 2m']),
  flag('health --timeout 10m', ['health', ...ENV, '--timeout', '10m'], U.range, ['--timeout', '"10m"', 'expected 100ms to 2m']),
  flag('plan --parallelism 0', ['plan', ...ENV, '--parallelism', '0'], U.range, ['--parallelism', '"0"', 'from 1 to 32']),
  flag('plan --parallelism 33', ['plan', ...ENV, '--parallelism', '33'], U.range, ['--parallelism', '"33"', 'from 1 to 32']),
  flag('plan --parallelism x', ['plan', ...ENV, '--parallelism', 'x'], U.format, ['--parallelism', '"x"', 'expected a whole number']),
  flag('plan --lock-timeout forever', ['plan', ...ENV, '--lock-timeout', 'forever'], U.format, [
    '--lock-timeout',
    '"forever"',
    'expected a duration',
  ]),
  flag('plan --lock-timeout 2h', ['plan', ...ENV, '--lock-timeout', '2h'], U.range, ['--lock-timeout', '"2h"', 'expected 0s to 1h']),
  flag('apply --parallelism huge', ['apply', ...ENV, '--yes', '--parallelism', '99999999999999999999'], U.range, [
    '--parallelism',
    '99999999999999999999',
    'from 1 to 32',
  ]),
  flag('destroy --lock-timeout 5d', ['destroy', ...ENV, '--yes', '--lock-timeout', '5d'], U.format, [
    '--lock-timeout',
    '"5d"',
    'expected a duration',
  ]),
  flag('outputs --parallelism 0', ['outputs', ...ENV, '--parallelism', '0'], U.range, ['--parallelism', '"0"', 'from 1 to 32']),
  flag('sandbox up --parallelism 0', ['sandbox', 'up', '--parallelism', '0'], U.range, ['--parallelism', '"0"', 'from 1 to 32']),
  flag('doctor unknown group', ['doctor', ...ENV, 'bogus'], 'usage.unknown-name', ['bogus', 'valid groups']),
  flag('doctor --list bogus', ['doctor', '--list', 'bogus'], 'usage.unknown-name', ['bogus', 'valid groups']),
  flag('doctor without --env', ['doctor'], 'usage.missing-option', ['--env', 'expected the environment']),
  flag('help bogus', ['help', 'bogus'], 'usage.unknown-command', ['help bogus', 'no such command', 'commands: init']),
  flag('unknown command', ['bogus'], 'usage.unknown-command', ["unknown command 'bogus'"]),
  flag('unknown option', ['deploy', ...ENV, '--bogus'], 'usage.unknown-option', ["unknown option '--bogus'"]),
  { ...flag('option without its value', ['status', '--env'], 'usage.missing-argument', ['--env', 'argument missing']), jsonAt: 1 },
  flag('--json taken as the value of --env', ['status', '--env'], U.format, ['--env', '"--json"', 'expected an environment name']),
  flag('required option missing', ['status'], 'usage.missing-option', ["required option '-e, --env <env>'"]),
  flag('too many arguments', ['runbook', 'a', 'b'], 'usage.invalid', ['too many arguments']),
  flag('runbook unknown', ['runbook', 'nope'], 'usage.unknown-name', ['"nope"', 'expected one of']),
  flag('--service unknown', ['deploy', ...ENV, '--tag', 'v1', '--service', 'nope'], 'usage.unknown-name', [
    '--service nope',
    'expected one of api',
  ]),
  flag('--service missing with two services', ['deploy', '--env', 'two', '--tag', 'v1'], 'usage.missing-option', ['--service', 'web, api']),
  flag('--env with spaces', ['status', '--env', 'Bad Name'], U.format, ['--env', '"Bad Name"', 'expected an environment name']),
  flag('--env ""', ['status', '--env', ''], U.format, ['--env', 'empty', 'expected']),
  flag('--env unknown name', ['deploy', '--env', 'nothere', '--tag', 'v1'], 'config.not-found', [
    '--env nothere',
    'nothere.json',
    'expected an existing environment',
  ]),
  flag('--env missing file', ['status', '--env', 'missing.json'], 'config.not-found', ['--env missing.json', 'no such file', 'expected']),
  flag('adopt --env unknown name', ['adopt', '--env', 'nothere'], 'config.not-found', [
    '--env nothere',
    'expected an existing environment',
  ]),
  flag('adopt an environment without a resource map', ['adopt', ...ENV], U.invalid, [
    'environment prod',
    '`resources` map',
    'nothing to adopt',
  ]),
  flag('--env a folder', ['status', '--env', 'mine/x.json'], 'config.not-found', ['mine/x.json', 'expected']),
  flag('init bad name', ['init', 'Bad_Name'], U.format, ['"Bad_Name"', 'expected a lowercase name']),
  flag('init unknown template', ['init', 'newenv', '--template', 'nope'], 'usage.unknown-name', [
    '--template',
    '"nope"',
    'expected one of',
  ]),
  flag('init over a file berth did not write', ['init', 'prod'], 'output.not-owned', [
    'prod.json',
    'exists already',
    'expected a new environment name',
  ]),
  flag('init --force over a file berth did not write', ['init', 'prod', '--force'], 'output.not-owned', [
    'prod.json',
    'berth did not write it',
  ]),
  // A bad environment file stops AWS commands too, before any request.
  flag('deploy with a duplicate-key file', ['deploy', '--env', 'dupkey', '--tag', 'v1'], U.syntax, ['duplicate key "protected"', 'line 6']),
  flag('status with a deeply nested file', ['status', '--env', 'deep'], U.syntax, ['nesting deeper than 24 levels']),
  flag('rollback with an unknown region', ['rollback', '--env', 'region-fake', '--yes'], U.invalid, [
    'region',
    'ap-northeast-5',
    'expected an AWS region that exists',
  ]),
  flag('logs with a pasted key', ['logs', '--env', 'akid'], U.invalid, ['services[0].secrets.OPENAI_API_KEY', 'an AWS access key id']),
  flag('plan with a multicast CIDR', ['plan', '--env', 'multicast'], U.invalid, ['network.cidr', 'multicast']),
  flag('doctor with MySQL engine and PostgreSQL version', ['doctor', '--env', 'mysql-pg'], U.invalid, [
    'database.version',
    'Aurora MySQL version',
  ]),
];

/** Where berth writes: only its own folders, or new or empty ones; nothing outside touched. */
const OUT_CASES: Case[] = [
  flag('synth --out ""', ['synth', ...ENV, '--out', ''], U.format, ['--out', '""', 'expected a folder name']),
  flag('synth --out .', ['synth', ...ENV, '--out', '.'], 'output.not-owned', ['--out', '"."', 'project folder']),
  flag('synth --out ..', ['synth', ...ENV, '--out', '..'], 'output.not-owned', ['--out', '".."', 'project folder']),
  flag('synth --out README.md', ['synth', ...ENV, '--out', 'README.md'], 'output.not-a-directory', [
    '--out',
    '"README.md"',
    'a file',
    'expected a new or empty folder',
  ]),
  flag('synth --out /dev/null', ['synth', ...ENV, '--out', '/dev/null'], 'output.not-a-directory', [
    '--out',
    '"/dev/null"',
    'a device',
    'expected',
  ]),
  flag('synth --out a folder holding files', ['synth', ...ENV, '--out', 'mine'], 'output.not-owned', [
    '--out',
    '"mine"',
    'notes.txt',
    'expected a new or empty folder',
  ]),
  flag('synth --out the stacks source folder', ['synth', ...ENV, '--out', 'stacks'], 'output.not-owned', [
    '--out',
    '"stacks"',
    'app.ts',
    'berth did not write',
  ]),
  flag('synth --out /proc/nope', ['synth', ...ENV, '--out', '/proc/nope'], 'output.not-writable', [
    '--out',
    '"/proc/nope"',
    'cannot create',
    'expected',
  ]),
  flag('synth --out /proc/nope/deeper', ['synth', ...ENV, '--out', '/proc/nope/deeper'], 'output.not-writable', [
    '--out',
    '/proc/nope/deeper',
    'expected',
  ]),
  flag('synth --out /sys/nope', ['synth', ...ENV, '--out', '/sys/nope'], 'output.not-writable', ['--out', '"/sys/nope"', 'expected']),
  flag('synth --out under a file', ['synth', ...ENV, '--out', 'README.md/sub'], 'output.not-a-directory', [
    '--out',
    'README.md/sub',
    'not a folder',
  ]),
  flag('synth --out a symbolic link', ['synth', ...ENV, '--out', 'link-to-mine'], 'output.not-a-directory', [
    '--out',
    '"link-to-mine"',
    'symbolic link',
    'expected a real folder',
  ]),
  flag('plan --markdown README.md', ['plan', ...ENV, '--markdown', 'README.md'], 'output.not-owned', [
    '--markdown',
    '"README.md"',
    'berth did not write it',
    'expected a new file',
  ]),
  flag('plan --markdown ""', ['plan', ...ENV, '--markdown', ''], U.format, ['--markdown', 'expected a file name']),
  flag('plan --markdown /dev/null', ['plan', ...ENV, '--markdown', '/dev/null'], 'output.not-a-directory', [
    '--markdown',
    '"/dev/null"',
    'not a regular file',
  ]),
  flag('plan --markdown into a missing folder', ['plan', ...ENV, '--markdown', 'nodir/plan.md'], 'output.not-a-directory', [
    '--markdown',
    'nodir/plan.md',
    'does not exist',
  ]),
  flag('plan --markdown a folder', ['plan', ...ENV, '--markdown', 'mine'], 'output.not-a-directory', ['--markdown', '"mine"', 'a folder']),
];

/** Environment variables berth reads. */
const ENV_VAR_CASES: Case[] = [
  {
    ...flag('BERTH_AWS_ENDPOINT_URL not a URL (status)', ['status', ...ENV], 'usage.env-var', [
      'BERTH_AWS_ENDPOINT_URL',
      '"not a url"',
      'expected http(s)://',
    ]),
    env: { BERTH_AWS_ENDPOINT_URL: 'not a url' },
  },
  {
    ...flag('BERTH_AWS_ENDPOINT_URL not a URL (deploy)', ['deploy', ...ENV, '--tag', 'v1'], 'usage.env-var', [
      'BERTH_AWS_ENDPOINT_URL',
      'expected',
    ]),
    env: { BERTH_AWS_ENDPOINT_URL: 'localhost:4566' },
  },
  {
    ...flag('BERTH_PUBLIC_URL not a URL (health)', ['health', ...ENV], 'usage.env-var', [
      'BERTH_PUBLIC_URL',
      '"127.0.0.1:5001"',
      'expected',
    ]),
    env: { BERTH_PUBLIC_URL: '127.0.0.1:5001' },
  },
  {
    ...flag('BERTH_AWS_ENDPOINT_URL ftp (logs)', ['logs', ...ENV], 'usage.env-var', ['BERTH_AWS_ENDPOINT_URL', 'ftp://x', 'expected']),
    env: { BERTH_AWS_ENDPOINT_URL: 'ftp://x' },
  },
  {
    ...flag('BERTH_AWS_ENDPOINT_URL http:// (health)', ['health', ...ENV], 'usage.env-var', ['BERTH_AWS_ENDPOINT_URL', 'expected']),
    env: { BERTH_AWS_ENDPOINT_URL: 'http://' },
  },
  {
    ...flag('BERTH_PROJECT_DIR elsewhere: no environment', ['status', ...ENV], 'config.not-found', [
      '--env prod',
      'expected an existing environment',
    ]),
    env: { BERTH_PROJECT_DIR: '/nonexistent-berth-project' },
  },
];

export const CASES: Case[] = [...FILE_CASES, ...FLAG_CASES, ...OUT_CASES, ...ENV_VAR_CASES];
