import { describe, expect, it } from 'vitest';
import { dashboardLink } from '../../src/dashboard/url.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { environment } from '../stacks/helpers.js';

describe('berth dashboard', () => {
  it("links the console to the dashboard the alarms stack creates, in the environment's region and partition", () => {
    expect(dashboardLink(environment('platform')).url).toBe(
      'https://ap-northeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#dashboards/dashboard/chatbot-platform',
    );
    expect(dashboardLink(environment('platform', (e) => (e.region = 'cn-north-1'))).url).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\//,
    );
  });

  it('prints the URL, --json as {name, region, url}; a bad environment exits 2 with an error document', async () => {
    const p = tempProject();
    try {
      const env = `${process.cwd()}/templates/environments/two-service.json`;
      const human = await runCli(['dashboard', '--env', env], { project: p.dir });
      expect(human.code).toBe(0);
      expect(human.stdout.trim()).toBe(dashboardLink(environment('two-service')).url);
      const json = await runCli(['dashboard', '--env', env, '--json'], { project: p.dir });
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, name: 'lawfirm-two-service', region: 'ap-northeast-2' });
      const bad = await runCli(['dashboard', '--env', 'nope', '--json'], { project: p.dir });
      expect(bad.code).toBe(2);
      expect(JSON.parse(bad.stdout).error.exitCode).toBe(2);
    } finally {
      p.cleanup();
    }
  });
});
