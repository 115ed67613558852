/**
 * An environment that names its account refuses credentials of any other account, before any call
 * that could change something (reads may go out meanwhile; their answers are refused). Runs against
 * a real moto_server (account 123456789012).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecs } from '../../src/aws/clients.js';
import { awsContext } from '../../src/aws/context.js';
import { parseEnvironment } from '../../src/config/load.js';
import { startEmulator, type Emulator } from '../../src/sandbox/emulator.js';
import { ListClustersCommand } from '@aws-sdk/client-ecs';

const base = {
  name: 'prod',
  app: 'shop',
  domain: { name: 'shop.example' },
  state: { bucket: 'tf-state' },
  services: [{ name: 'api', port: 8080 }],
};

describe('account guard', () => {
  let emu: Emulator;
  const saved = { ...process.env };
  beforeAll(async () => {
    emu = await startEmulator();
    process.env.AWS_ACCESS_KEY_ID = 'AKIATESTFAKE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
  });
  afterAll(async () => {
    process.env = saved;
    await emu?.stop();
  });

  it('refuses credentials of another account', async () => {
    const env = parseEnvironment({ ...base, account: '111111111111' }, 'x.json');
    const ctx = awsContext(env, { BERTH_AWS_ENDPOINT_URL: emu.endpoint });
    // The client is made; its calls fail with the account's error (a change is never sent: account-overlap.test.ts).
    const client = await ecs(ctx);
    await expect(client.send(new ListClustersCommand({}))).rejects.toThrow(
      /belong to account 123456789012, but this environment is account 111111111111/,
    );
  });

  it('works with credentials of the named account', async () => {
    const env = parseEnvironment({ ...base, account: '123456789012' }, 'x.json');
    const ctx = awsContext(env, { BERTH_AWS_ENDPOINT_URL: emu.endpoint });
    const client = await ecs(ctx);
    const res = await client.send(new ListClustersCommand({}));
    expect(Array.isArray(res.clusterArns)).toBe(true);
  });
});
