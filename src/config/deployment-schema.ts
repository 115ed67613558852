/**
 * `services[].deployment`: how `berth deploy` releases a new revision of the service, by ECS's own
 * deployment strategies (rolling, blue/green, canary, linear; ECS since July/October 2025). The
 * ranges are ECS's documented ones (API reference: DeploymentConfiguration, CanaryConfiguration,
 * LinearConfiguration; CloudWatch PutMetricAlarm for the alarm names); the rules that span fields
 * (multiples of 0.1, distinct alarm names, the test path under the service's path pattern) are in
 * deployment-rules.ts. Who owns which field of the ECS service, terraform or berth: docs/deployment-ownership.md.
 */
import type { Spec } from './spec.js';

/** The strategies, as written in the environment file. */
export const DEPLOYMENT_STRATEGIES = ['rolling', 'blue-green', 'canary', 'linear'] as const;

/** ECS: bake times are whole minutes from 0 to 1440 (24 hours). */
const BAKE = { kind: 'number', integer: true, min: 0, max: 1440 } as const;

export const deploymentSpec: Spec = {
  kind: 'object',
  doc:
    'How `berth deploy` releases a new revision (`deploy --strategy` overrides it for one release). Every strategy but rolling ' +
    'runs the new revision on an alternate target group beside the old one and moves traffic by re-weighting the listener rule; ' +
    'berth judges each step on evidence (target health, 5xx share, response time, the named alarms) and rolls traffic back on failure.',
  fields: {
    strategy: {
      kind: 'string',
      default: 'rolling',
      doc:
        '"rolling" replaces tasks in place; "blue-green" shifts all traffic at once after the new revision is healthy; "canary" ' +
        'shifts `canary.percent`, bakes, then the rest; "linear" shifts `linear.stepPercent` per step. All but rolling need the ' +
        'load balancer (every berth service has one) and create an alternate target group, a test listener rule and the ECS ' +
        'infrastructure role.',
      oneOf: DEPLOYMENT_STRATEGIES,
    },
    canary: {
      kind: 'object',
      doc: 'The canary step (strategy "canary").',
      fields: {
        percent: {
          kind: 'number',
          default: 10,
          doc: 'Share of production traffic the new revision takes first (ECS canaryPercent: a multiple of 0.1).',
          min: 0.1,
          max: 100,
        },
        bakeMinutes: {
          ...BAKE,
          default: 10,
          doc: 'Minutes at the canary share before the rest of the traffic moves (canaryBakeTimeInMinutes).',
        },
      },
    },
    linear: {
      kind: 'object',
      doc: 'The linear steps (strategy "linear").',
      fields: {
        stepPercent: {
          kind: 'number',
          default: 10,
          doc: 'Share of production traffic moved per step (ECS stepPercent: a multiple of 0.1, at least 3).',
          min: 3,
          max: 100,
        },
        stepBakeMinutes: { ...BAKE, default: 6, doc: 'Minutes between steps (stepBakeTimeInMinutes; none after the last step).' },
      },
    },
    bakeMinutes: {
      ...BAKE,
      default: 5,
      doc: 'Final bake: minutes both revisions keep running after all traffic moved, so a rollback is instant (bakeTimeInMinutes).',
    },
    alarms: {
      kind: 'array',
      default: [],
      doc: 'CloudWatch alarm names that fail the release and roll it back when they go to ALARM (ECS deployment alarms, rollback on).',
      items: {
        kind: 'string',
        doc: 'alarm name',
        // CloudWatch AlarmName: 1-255 characters of [\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t].
        // eslint-disable-next-line no-control-regex -- the control characters AWS refuses are the point
        pattern: /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]{1,255}$/,
        patternDoc: 'a CloudWatch alarm name of 1 to 255 characters without control characters (tab and line breaks aside)',
      },
      maxItems: 100,
    },
    testPath: {
      kind: 'string',
      optional: true,
      doc:
        'A path berth requests through the test listener rule (header `X-Berth-Test: <service>`) on the new revision before any ' +
        "production traffic moves; a non-2xx/3xx answer stops the release. Must fall under the service's pathPattern.",
      pattern: /^\/[^\s?#*]*$/,
      patternDoc: 'an absolute URL path starting with / (no query string, no wildcard)',
    },
    thresholds: {
      kind: 'object',
      doc: "The evidence each step is judged on, read from the new revision's target group.",
      fields: {
        max5xxPercent: {
          kind: 'number',
          default: 1,
          doc: 'Highest share of HTTP 5xx answers (target 5xx over requests) a step may show.',
          min: 0,
          max: 100,
        },
        maxTargetResponseSeconds: {
          kind: 'number',
          default: 2,
          doc: 'Highest average target response time a step may show.',
          min: 0.001,
          max: 4000,
        },
      },
    },
  },
};
