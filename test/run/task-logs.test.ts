/**
 * `berth run` reads its task's stream through the logs module's page source: a stream not created yet
 * is an empty page (the task is starting), while `berth logs` on a missing group is an error naming it.
 * The CloudWatch Logs endpoint is a small in-process stand-in on 127.0.0.1 (awsJson1.1).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsContext } from '../../src/aws/context.js';
import { awsPageSource } from '../../src/logs/aws-source.js';
import { followTaskLogs, taskLogSource } from '../../src/run/task-logs.js';

const GROUP = '/ecs/demo/api';
const STREAM = 'api/api/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
let server: Server;
let ctx: AwsContext;
let streamExists = false;
const asked: unknown[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const q = JSON.parse(body) as { logStreamNames?: string[] };
      asked.push(q);
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (!streamExists || !q.logStreamNames?.includes(STREAM)) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' }));
        return;
      }
      res.end(
        JSON.stringify({
          events: [
            { timestamp: 1000, message: 'migrating\n', logStreamName: STREAM, eventId: 'e1' },
            { timestamp: 1001, message: 'done', logStreamName: STREAM, eventId: 'e2' },
          ],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  ctx = {
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    sandbox: true,
  };
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('berth run reads its task logs through the logs module', () => {
  it('a stream that does not exist yet is an empty page; the logs command’s source names the missing group', async () => {
    streamExists = false;
    await expect(taskLogSource(ctx, GROUP, STREAM)({ startTime: 0 })).resolves.toEqual({ events: [] });
    await expect(awsPageSource(ctx, GROUP, [STREAM], undefined)({ startTime: 0 })).rejects.toThrow(`log group ${GROUP} not found`);
    expect(asked.at(-1)).toMatchObject({ logGroupName: GROUP, logStreamNames: [STREAM], startTime: 0 });
  });

  it('follows the stream until the task stops, each line once, without its trailing newline', async () => {
    streamExists = true;
    const lines: string[] = [];
    let polls = 0;
    const n = await followTaskLogs({
      source: taskLogSource(ctx, GROUP, STREAM),
      startTime: 0,
      pollMs: 1,
      done: () => ++polls > 2,
      onLine: (l) => lines.push(l),
      sleep: async () => undefined,
    });
    expect(lines).toEqual(['migrating', 'done']);
    expect(n).toBe(2);
  });
});
