/** The one stop classifier (src/ecs/stops.ts) and its explanations, as the doctor and the rollout verdict see them. */
import { describe, expect, it } from 'vitest';
import { explainStop } from '../../src/ecs/stop-explanations.js';
import { classifyStop, isBenignStop, normaliseReason, stopFamily, type StopFacts } from '../../src/ecs/stops.js';

const classify = (stopCode: string, stoppedReason: string, containerReasons: string[], exitCodes: number[], logLines: string[]) =>
  stopFamily(classifyStop({ stopCode, stoppedReason, containerReasons, exitCodes, logLines } satisfies StopFacts));

describe('ecs: stop classification', () => {
  it('classifies the runbook stop reasons (the doctor families)', () => {
    expect(classify('TaskFailedToStart', 'CannotPullContainerError: ref not found', [], [], [])).toBe('image-pull');
    expect(
      classify(
        'TaskFailedToStart',
        'ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm',
        [],
        [],
        [],
      ),
    ).toBe('secrets');
    expect(
      classify(
        'TaskFailedToStart',
        'ResourceInitializationError: failed to configure ENI: insufficient free addresses in subnet',
        [],
        [],
        [],
      ),
    ).toBe('eni');
    expect(
      classify(
        'EssentialContainerExited',
        'Essential container in task exited',
        ['OutOfMemoryError: Container killed due to memory usage'],
        [137],
        [],
      ),
    ).toBe('out-of-memory');
    expect(
      classify('EssentialContainerExited', 'Essential container in task exited', [], [1], ['exec /app/start: exec format error']),
    ).toBe('exec-format');
    expect(classify('ServiceSchedulerInitiated', 'Task failed ELB health checks in (target-group arn:...)', [], [], [])).toBe('elb-health');
    expect(classify('ServiceSchedulerInitiated', 'Scaling activity initiated by (deployment ecs-svc/123)', [], [], [])).toBe('benign');
    expect(classify('UserInitiated', 'Task stopped by user', [], [], [])).toBe('benign');
  });

  it('a missing log group is a log-config stop, not a secrets one', () => {
    const reason =
      'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1';
    expect(classifyStop({ stopCode: 'TaskFailedToStart', stoppedReason: reason, containerReasons: [], exitCodes: [], logLines: [] })).toBe(
      'log-config',
    );
  });

  it('the same task gets the same kind from the verdict path (explainStop) and the doctor path (classifyStop)', () => {
    const tasks = [
      {
        stopCode: 'TaskFailedToStart',
        stoppedReason:
          'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 1.dkr.ecr.us-east-1.amazonaws.com/api:v2: not found',
      },
      {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'api', exitCode: 1 }],
      },
      {
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/y)',
      },
    ];
    for (const t of tasks) {
      const ex = explainStop(t, [], { container: 'api' });
      const c = t.containers?.[0];
      expect(ex.kind).toBe(
        classifyStop({
          stopCode: t.stopCode,
          stoppedReason: t.stoppedReason,
          containerReasons: [],
          exitCodes: c?.exitCode !== undefined ? [c.exitCode] : [],
          logLines: [],
        }),
      );
    }
  });

  it('benign stops: people, scale-ins, deployments; never a task that failed to start', () => {
    expect(isBenignStop({ stopCode: 'UserInitiated', stoppedReason: 'anything' })).toBe(true);
    expect(
      isBenignStop({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)' }),
    ).toBe(true);
    expect(isBenignStop({ stopCode: 'TaskFailedToStart', stoppedReason: 'deployment failed' })).toBe(false);
    expect(isBenignStop({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' })).toBe(false);
  });

  it('normalises reasons so that equal causes group together', () => {
    expect(normaliseReason('failed to fetch secret arn:aws:secretsmanager:us-east-1:1:secret:x-Ab12Cd from 10.0.1.5')).toBe(
      'failed to fetch secret <arn> from <ip>',
    );
    expect(normaliseReason('RequestId: 0a1b-2c3d x')).toBe(normaliseReason('RequestId: ffff-eeee x'));
  });
});
