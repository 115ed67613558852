/**
 * What a command loads of the AWS SDK: every client comes through src/aws/sdk/<service>.ts (the
 * operations berth calls), and the bundled CLI keeps of each client only the shapes of those
 * operations (scripts/sdk-schema-keys.mjs) while the requests and answers stay the SDK's own.
 */
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('SDK imports', () => {
  it('no module outside src/aws/sdk/ takes values from an @aws-sdk client package (a whole client would be bundled)', () => {
    const offenders: string[] = [];
    for (const f of ['cli', 'src', 'stacks'].flatMap((d) => tsFiles(join(ROOT, d)))) {
      const rel = relative(ROOT, f);
      if (rel.startsWith('src/aws/sdk/')) continue;
      const src = readFileSync(f, 'utf8');
      // `import { X } from '@aws-sdk/…'` (not `import type`) and `await import('@aws-sdk/…')`; a type
      // position `import('@aws-sdk/…').Type` loads nothing.
      const value =
        /^import (?!type\b)[^;]*?from '@aws-sdk\/client-[^']+'/m.test(src) || /import\('@aws-sdk\/client-[^']+'\)(?!\.)/.test(src);
      if (value) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });
});

describe('the bundled EC2 client (sdk-schema-keys plugin)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-sdk-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function bundle(): Promise<{ code: string; url: string }> {
    const { sdkSchemaKeys } = (await import(pathToFileURL(join(ROOT, 'scripts', 'sdk-schema-keys.mjs')).href)) as {
      sdkSchemaKeys: Parameters<typeof build>[0]['plugins'] extends (infer P)[] | undefined ? P : never;
    };
    const r = await build({
      absWorkingDir: ROOT,
      entryPoints: ['src/aws/sdk/ec2.ts'],
      bundle: true,
      format: 'esm',
      platform: 'node',
      mainFields: ['module', 'main'],
      write: false,
      outfile: join(dir, 'ec2.mjs'),
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
      plugins: [sdkSchemaKeys],
      logLevel: 'error',
    });
    const code = r.outputFiles[0]!.text;
    writeFileSync(join(dir, 'ec2.mjs'), code);
    return { code, url: pathToFileURL(join(dir, 'ec2.mjs')).href };
  }

  it('leaves out the shapes of operations berth never calls, and still sends and reads EC2 query requests', async () => {
    const { code, url } = await bundle();
    // RunInstances is not in src/aws/sdk/ec2.ts: its request shape is gone (it was kept before).
    expect(code).not.toMatch(/RunInstancesRequest\$/);
    expect(code).toMatch(/DescribeSubnetsRequest\$/);

    const bodies: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        bodies.push(body);
        res.setHeader('content-type', 'text/xml');
        res.end(
          '<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r1</requestId>' +
            '<subnetSet><item><subnetId>subnet-1</subnetId><cidrBlock>10.0.1.0/24</cidrBlock><vpcId>vpc-1</vpcId>' +
            '<tagSet><item><key>Name</key><value>app</value></item></tagSet></item></subnetSet></DescribeSubnetsResponse>',
        );
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    try {
      const ec2 = (await import(url)) as typeof import('../../src/aws/sdk/ec2.js');
      const client = new ec2.EC2Client({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' },
      });
      const r = await client.send(new ec2.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }] }));
      client.destroy();
      // The query names come from the schema traits the plugin rewrites (ec2QueryName, xmlName).
      expect(new URLSearchParams(bodies[0])).toEqual(
        new URLSearchParams('Action=DescribeSubnets&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1'),
      );
      expect(r.Subnets).toEqual([
        { SubnetId: 'subnet-1', CidrBlock: '10.0.1.0/24', VpcId: 'vpc-1', Tags: [{ Key: 'Name', Value: 'app' }] },
      ]);
    } finally {
      server.close();
    }
  });
});
