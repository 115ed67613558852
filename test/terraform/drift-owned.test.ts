/**
 * `berth drift` after a release: the listener rules' weights, the service's running revision and its
 * load balancer wiring changed outside terraform BY DESIGN (their owner is berth/ECS: ignore_changes
 * in the synthesized stack), so they are not drift; anything else still is, and so is a deletion.
 */
import { describe, expect, it } from 'vitest';
import { ignoredAttributes, terraformOwnedDrift } from '../../src/terraform/drift-owned.js';
import type { ResourceDetail } from '../../src/terraform/plan-detail.js';
import { environment, synth } from '../stacks/helpers.js';

const change = (address: string, ...paths: string[]): ResourceDetail => ({
  address,
  action: 'update',
  forcedBy: [],
  attributes: paths.map((path) => ({ path, before: '1', after: '2', forcesReplacement: false })),
});

describe('drift of what berth owns', () => {
  it('reads ignore_changes per resource address from the synthesized stacks', async () => {
    const s = await synth(environment('sandbox'));
    try {
      const edge = ignoredAttributes(s.text('edge'));
      expect(edge.get('aws_lb_listener_rule.edge_rule-api')).toEqual(['action']);
      expect(edge.get('aws_lb_listener_rule.edge_test-rule-api')).toEqual(['action']);
      expect(edge.has('aws_lb_target_group.edge_tg-api')).toBe(false);
      const service = ignoredAttributes(s.text('service'));
      expect(service.get('aws_ecs_service.service_api-service')).toEqual(['task_definition', 'desired_count', 'load_balancer']);
    } finally {
      s.cleanup();
    }
  });

  it('drops the owned attributes, keeps the rest, and always keeps a deletion', () => {
    const ignored = new Map([
      ['aws_lb_listener_rule.edge_rule-api', ['action']],
      ['aws_ecs_service.service_api-service', ['task_definition', 'desired_count', 'load_balancer']],
    ]);
    const drift = [
      change(
        'aws_lb_listener_rule.edge_rule-api',
        'action[0].forward[0].target_group[0].weight',
        'action[0].forward[0].target_group[1].weight',
      ),
      change(
        'aws_ecs_service.service_api-service',
        'task_definition',
        'load_balancer[0].target_group_arn',
        'health_check_grace_period_seconds',
      ),
      change('aws_lb_target_group.edge_tg-api', 'health_check[0].path'),
      { ...change('aws_lb_listener_rule.edge_rule-api'), action: 'destroy' as const },
      change('aws_ecs_service.service_api-service', 'task_definition_extra'),
    ];
    expect(terraformOwnedDrift(drift, ignored).map((r) => [r.address, r.action, r.attributes.map((a) => a.path)])).toEqual([
      ['aws_ecs_service.service_api-service', 'update', ['health_check_grace_period_seconds']],
      ['aws_lb_target_group.edge_tg-api', 'update', ['health_check[0].path']],
      ['aws_lb_listener_rule.edge_rule-api', 'destroy', []],
      ['aws_ecs_service.service_api-service', 'update', ['task_definition_extra']],
    ]);
    expect(ignoredAttributes('not json').size).toBe(0);
  });
});
