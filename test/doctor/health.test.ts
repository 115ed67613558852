import { describe, expect, it } from 'vitest';
import { checkHealth, parseHealthCommand } from '../../src/doctor/checks/health.js';
import { ID, input, health } from './fixtures/world.js';
import { fixText, one, statuses } from './helpers.js';

describe('doctor health (pure)', () => {
  it('passes on the healthy recorded account', () => {
    const fs = checkHealth(health(), input());
    expect(statuses(fs).FAIL).toEqual([]);
    expect(statuses(fs).WARN).toEqual([]);
  });

  it('container port 8001 against a target group on 8000: FAIL naming the target group', () => {
    const f = health();
    f.services[0]!.targetGroup!.Port = 8000;
    const bad = one(checkHealth(f, input()), 'health.port');
    expect(bad.status).toBe('FAIL');
    expect(bad.resource).toBe(ID.tg);
    expect(bad.message).toContain('the container listens on 8001 but target group chatbot-platform-api is on 8000');
    expect(bad.evidence).toMatchObject({ containerPort: 8001, targetGroupPort: 8000, configPort: 8001 });
    expect(fixText(bad)).toContain('berth apply --env platform');
  });

  it('the container listening on another port than the config says FAILs too', () => {
    const f = health();
    f.services[0]!.taskDefinition!.containerDefinitions![0]!.portMappings = [{ containerPort: 8000 }];
    const bad = one(checkHealth(f, input()), 'health.port');
    expect(bad.status).toBe('FAIL');
    expect(bad.message).toContain('differs from the configured port 8001');
  });

  it('target group probing another path FAILs with modify-target-group', () => {
    const f = health();
    f.services[0]!.targetGroup!.HealthCheckPath = '/';
    const bad = one(checkHealth(f, input()), 'health.path');
    expect(bad.status).toBe('FAIL');
    expect(bad.fix?.commands).toEqual([`aws elbv2 modify-target-group --target-group-arn ${ID.tg} --health-check-path /health`]);
  });

  it('container health check on another path or port FAILs; none at all WARNs', () => {
    const f = health();
    const c = f.services[0]!.taskDefinition!.containerDefinitions![0]!;
    c.healthCheck!.command = ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1'];
    const bad = one(checkHealth(f, input()), 'health.path');
    expect(bad.status).toBe('FAIL');
    expect(bad.message).toMatch(/probes \/healthz, not \/health.*port 8000/);
    c.healthCheck = undefined;
    expect(one(checkHealth(f, input()), 'health.path').status).toBe('WARN');
  });

  it('unhealthy targets: reasons are explained; none healthy FAILs', () => {
    const f = health();
    f.services[0]!.targetHealth = [
      {
        Target: { Id: '10.0.10.37', Port: 8001 },
        TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' },
      },
      {
        Target: { Id: '10.0.11.52', Port: 8001 },
        TargetHealth: {
          State: 'unhealthy',
          Reason: 'Target.ResponseCodeMismatch',
          Description: 'Health checks failed with these codes: [404]',
        },
      },
    ];
    const bad = one(checkHealth(f, input()), 'health.targets');
    expect(bad.status).toBe('FAIL');
    expect(bad.evidence.explanation).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Target.Timeout: no answer in time/),
        expect.stringMatching(/^Target.ResponseCodeMismatch/),
      ]),
    );
    expect(bad.see).toContain('security-groups.alb-to-app');
  });

  it('the HTTPS listener not forwarding to the target group FAILs with modify-listener', () => {
    const f = health();
    const https = f.listeners.find((l) => l.Port === 443)!;
    https.DefaultActions = [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }];
    f.rules[ID.https] = [];
    const bad = one(checkHealth(f, input()), 'health.routing');
    expect(bad.status).toBe('FAIL');
    expect(bad.fix?.commands?.[0]).toBe(
      `aws elbv2 modify-listener --listener-arn ${ID.https} --default-actions Type=forward,TargetGroupArn=${ID.tg}`,
    );
  });

  it('HTTP not redirecting, or an old TLS policy, WARNs', () => {
    const f = health();
    f.listeners[0]!.DefaultActions = [{ Type: 'forward', TargetGroupArn: ID.tg }];
    expect(one(checkHealth(f, input()), 'health.routing').status).toBe('WARN');
    const g = health();
    g.listeners[1]!.SslPolicy = 'ELBSecurityPolicy-2016-08';
    expect(one(checkHealth(g, input()), 'health.routing').message).toContain('TLS 1.0');
  });

  it('the public health URL not answering 200 FAILs; an unprobed URL WARNs', () => {
    const f = health();
    f.services[0]!.probe = { url: 'https://api.example.com/health', status: 503, body: 'Service Unavailable' };
    expect(one(checkHealth(f, input()), 'health.endpoint').status).toBe('FAIL');
    f.services[0]!.probe = { url: 'https://api.example.com/health', error: 'ENOTFOUND' };
    expect(one(checkHealth(f, input()), 'health.endpoint').message).toContain('ENOTFOUND');
    f.services[0]!.probe = { skipped: 'emulator' };
    expect(one(checkHealth(f, input()), 'health.endpoint').status).toBe('WARN');
  });

  it('reads port and path out of container health check commands', () => {
    expect(parseHealthCommand(['CMD-SHELL', 'curl -f http://localhost:8501/_stcore/health || exit 1'])).toEqual({
      port: 8501,
      path: '/_stcore/health',
    });
    expect(parseHealthCommand(['CMD', 'wget', '-qO-', 'http://127.0.0.1:8000/api/v1/health'])).toEqual({
      port: 8000,
      path: '/api/v1/health',
    });
    expect(parseHealthCommand(['CMD-SHELL', 'python -c "import sys"'])).toEqual({});
    expect(parseHealthCommand(undefined)).toBeUndefined();
  });
});
