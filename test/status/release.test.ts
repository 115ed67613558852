// berth status during a progressive release (pure judge and render on plain data): the stage,
// the production split and both revisions, from DescribeServiceDeployments as ECS answers it.
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../src/status/judge.js';
import { renderStatus } from '../../src/status/render.js';
import type { StatusRaw } from '../../src/status/types.js';
import { deployment, TD } from '../rollout/release/timeline.js';

const NOW = Date.parse('2026-11-26T17:01:00Z');

function raw(status: string, stage: string, newWeight: number): StatusRaw {
  const d = deployment(stage, status, newWeight);
  return {
    environment: 'sandbox',
    cluster: 'demo-sandbox',
    images: { [TD(7)]: 'repo/api:v1', [TD(8)]: 'repo/api:v2' },
    alarms: [],
    notes: [],
    services: [
      {
        name: 'api',
        snap: { serviceName: 'api', status: 'ACTIVE', desiredCount: 2, runningCount: 4, taskDefinition: TD(8), deployments: [] },
        targets: null,
        release: {
          deployment: d,
          taskDefinitions: { [d.sourceServiceRevisions![0]!.arn!]: TD(7), [d.targetServiceRevision!.arn!]: TD(8) },
        },
      },
    ],
  };
}

describe('status during a release', () => {
  it('the stage, the split and both revisions with their images, weights and counts', () => {
    const r = buildStatus(raw('IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT', 10), NOW).services[0]!.release!;
    expect(r).toMatchObject({
      strategy: 'CANARY',
      status: 'IN_PROGRESS',
      stage: 'PRODUCTION_TRAFFIC_SHIFT',
      production: { old: 90, new: 10 },
      new: { revision: 8, image: 'repo/api:v2', productionWeight: 10, running: 2, requested: 2 },
      old: [{ revision: 7, image: 'repo/api:v1', productionWeight: 90 }],
    });
    expect(r.deploymentArn).toMatch(/:service-deployment\//);
    const text = renderStatus(buildStatus(raw('IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT', 10), NOW));
    expect(text).toMatch(/canary release IN_PROGRESS: production traffic shift, production 10% new \/ 90% old/);
    expect(text).toMatch(/new rev 8\s+10% of production .*repo\/api:v2/);
    expect(text).toMatch(/old rev 7\s+90% of production .*repo\/api:v1/);
  });

  it('rolling back: the status says so and the split is what ECS now asks for', () => {
    const r = buildStatus(raw('ROLLBACK_IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT', 0), NOW).services[0]!.release!;
    expect(r).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS', production: { old: 100, new: 0 } });
  });

  it('no release in progress: no release field', () => {
    const x = raw('IN_PROGRESS', 'SCALE_UP', 0);
    delete x.services[0]!.release;
    expect(buildStatus(x, NOW).services[0]).not.toHaveProperty('release');
  });
});
