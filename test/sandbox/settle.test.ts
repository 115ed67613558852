/**
 * What `berth sandbox up` says when a service does not settle: the counts, and the deployment's
 * state and reason when it is not COMPLETED; a FAILED deployment (final: it will never complete)
 * gets the doctor check and the restart command.
 */
import { describe, expect, it } from 'vitest';
import { unsettled, unsettledHint, type ServiceSummary } from '../../src/sandbox/lifecycle.js';

const base: ServiceSummary = {
  name: 'api',
  cluster: 'demo-sandbox',
  desired: 2,
  running: 2,
  pending: 0,
  targets: { healthy: 2, unhealthy: 0, other: 0 },
  steady: false,
  rolloutState: 'COMPLETED',
};

describe('a service that did not settle', () => {
  it('a FAILED deployment is named with its reason, even with every task running; the hint says why and how to start anew', () => {
    const s = { ...base, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' };
    expect(unsettled(s)).toBe(
      'api (2/2 running, 2 healthy; its deployment is FAILED (ECS deployment circuit breaker: tasks failed to start.))',
    );
    const hint = unsettledHint([s], '/p/.berth/sandbox/emulator.log');
    expect(hint).toContain('`berth doctor --env sandbox task-start`');
    expect(hint).toContain('`berth restart --env sandbox --service api`');
    expect(hint).toContain('/p/.berth/sandbox/emulator.log');
  });

  it('still rolling out: counts and unhealthy targets, no restart advice', () => {
    const s = { ...base, running: 1, targets: { healthy: 1, unhealthy: 1, other: 0 }, rolloutState: 'IN_PROGRESS' };
    expect(unsettled(s)).toBe('api (1/2 running, 1 healthy, 1 unhealthy; its deployment is IN_PROGRESS)');
    expect(unsettledHint([s], 'emulator.log')).toBe("See `berth status --env sandbox` and the emulator's log emulator.log.");
  });
});
