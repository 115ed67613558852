/**
 * The public edge: an internet-facing Application Load Balancer in the public subnets, HTTP:80 that
 * only redirects to HTTPS, HTTPS:443 with a TLS 1.2+/1.3 policy and the validated certificate, two
 * target groups per service (ip targets, the service's health check: the primary and the alternate
 * a blue/green, canary or linear release starts the new revision on), per service a production rule
 * (its path, weighted forward primary 100 / alternate 0) and a test rule (the same path plus the
 * header `X-Berth-Test: <service>`), and the alias record `names(env).fqdn` -> ALB. ECS re-weights
 * the rules' forward actions during a release, so terraform ignores their `action` after creating
 * them (docs/deployment-ownership.md).
 */
import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb/index.js';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule/index.js';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { names, serviceNames } from '../../src/config/names.js';
import { productionPriority, TEST_HEADER, testPriority } from '../../src/config/routes.js';
import { ACCESS_LOG_PREFIX, AccessLogBucket } from './access-logs.js';
import type { EnvironmentConfig, ServiceConfig } from '../../src/config/types.js';

export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
export const HEALTH_MATCHER = '200-399';
export const DEREGISTRATION_DELAY_SECONDS = 30;

export interface EdgeProps {
  env: EnvironmentConfig;
  vpcId: string;
  /** The public subnets (one per AZ). */
  publicSubnetIds: string[];
  /** The ALB security group (80/443 in, service ports out to the app group only). */
  securityGroupId: string;
  /** The validated certificate ARN (from `aws_acm_certificate_validation`). */
  certificateArn: string;
  /** The hosted zone of the alias record. */
  zoneId: string;
  /** TLS policy of the HTTPS listener. Default: `ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.3 and 1.2 only). */
  sslPolicy?: string;
  /** Idle timeout in seconds. Default: 60. */
  idleTimeoutSeconds?: number;
  /** Refuse to delete the load balancer. Default: true outside a sandbox, false in it. */
  deletionProtection?: boolean;
  /** Seconds a deregistering target keeps draining. Default: 30. */
  deregistrationDelaySeconds?: number;
}

/** What ECS needs of the load balancer to shift a service's traffic (its advancedConfiguration, less the role). */
export interface ReleaseRoute {
  alternateTargetGroupArn: string;
  productionListenerRule: string;
  testListenerRule: string;
}

/**
 * Secure defaults: internet-facing but only 80 (redirect, 301) and 443; invalid header fields
 * dropped (`drop_invalid_header_fields`, request smuggling); deletion protection outside the
 * sandbox; TLS 1.2+ with the TLS 1.3 policy; target health matcher 200-399; the default action of
 * HTTPS is the `/*` service, or a fixed 404 when no service takes `/*` (never an open default).
 * access logs to the environment's own encrypted, private log bucket (access-logs.ts).
 */
export class Edge extends Construct {
  readonly albArn: string;
  readonly albArnSuffix: string;
  readonly albDnsName: string;
  readonly albZoneId: string;
  readonly httpListenerArn: string;
  readonly httpsListenerArn: string;
  /** Per service name. */
  readonly targetGroupArns: Record<string, string> = {};
  readonly targetGroupArnSuffixes: Record<string, string> = {};
  /** Per service name: what ECS needs to shift traffic (advancedConfiguration of the service's load balancer). */
  readonly releaseRoutes: Record<string, ReleaseRoute> = {};

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const env = props.env;
    const n = names(env);

    const logs = new AccessLogBucket(this, 'access-logs', { env });
    const alb = new Lb(this, 'alb', {
      name: n.alb,
      internal: false,
      loadBalancerType: 'application',
      securityGroups: [props.securityGroupId],
      subnets: props.publicSubnetIds,
      dropInvalidHeaderFields: true,
      idleTimeout: props.idleTimeoutSeconds ?? 60,
      enableDeletionProtection: props.deletionProtection ?? !env.sandbox,
      enableHttp2: true,
      desyncMitigationMode: 'defensive',
      ipAddressType: 'ipv4',
      accessLogs: { enabled: true, bucket: logs.bucket, prefix: ACCESS_LOG_PREFIX },
      tags: { Name: n.alb },
      dependsOn: logs.ready,
    });
    this.albArn = alb.arn;
    this.albArnSuffix = alb.arnSuffix;
    this.albDnsName = alb.dnsName;
    this.albZoneId = alb.zoneId;

    const tgs: Record<string, { primary: LbTargetGroup; alternate: LbTargetGroup }> = {};
    for (const svc of env.services) {
      const sn = serviceNames(env, svc);
      const primary = this.targetGroup(props, svc, `tg-${svc.name}`, sn.targetGroup, 'primary');
      tgs[svc.name] = { primary, alternate: this.targetGroup(props, svc, `tg-alt-${svc.name}`, sn.alternateTargetGroup, 'alternate') };
      this.targetGroupArns[svc.name] = primary.arn;
      this.targetGroupArnSuffixes[svc.name] = primary.arnSuffix;
    }

    const http = new LbListener(this, 'http', {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });
    const fallback = env.services.find((s) => s.pathPattern === '/*');
    const https = new LbListener(this, 'https', {
      loadBalancerArn: alb.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: props.sslPolicy ?? TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: fallback
        ? [{ type: 'forward', targetGroupArn: tgs[fallback.name]!.primary.arn }]
        : [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', messageBody: 'Not Found', statusCode: '404' } }],
    });
    this.httpListenerArn = http.arn;
    this.httpsListenerArn = https.arn;

    for (const svc of env.services) {
      const { primary, alternate } = tgs[svc.name]!;
      this.releaseRoutes[svc.name] = {
        alternateTargetGroupArn: alternate.arn,
        ...this.rules(env, svc, https.arn, primary.arn, alternate.arn),
      };
    }

    new Route53Record(this, 'alias', {
      zoneId: props.zoneId,
      name: n.fqdn,
      type: 'A',
      alias: { name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true },
    });
  }

  /** One target group of a service: ip targets on its port, its health check. */
  private targetGroup(props: EdgeProps, svc: ServiceConfig, id: string, name: string, role: 'primary' | 'alternate'): LbTargetGroup {
    const hc = svc.healthCheck;
    return new LbTargetGroup(this, id, {
      name,
      targetType: 'ip',
      protocol: 'HTTP',
      protocolVersion: 'HTTP1',
      port: svc.port,
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? DEREGISTRATION_DELAY_SECONDS),
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        port: 'traffic-port',
        path: svc.healthPath,
        interval: hc.intervalSeconds,
        timeout: hc.timeoutSeconds,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
        matcher: HEALTH_MATCHER,
      },
      tags: role === 'primary' ? { Name: name, service: svc.name } : { Name: name, service: svc.name, 'berth-target-group': role },
    });
  }

  /**
   * The service's production rule (its path; the `/*` service at CATCH_ALL_PRIORITY, before the
   * listener's default action) and test rule (path + `X-Berth-Test: <service>`, 5 before it), both
   * forwarding primary 100 / alternate 0. ECS owns the weights once created: `action` is ignored.
   */
  private rules(env: EnvironmentConfig, svc: ServiceConfig, listenerArn: string, primary: string, alternate: string) {
    const action = [
      {
        type: 'forward',
        forward: {
          targetGroup: [
            { arn: primary, weight: 100 },
            { arn: alternate, weight: 0 },
          ],
        },
      },
    ];
    const path = { pathPattern: { values: [svc.pathPattern] } };
    const production = new LbListenerRule(this, `rule-${svc.name}`, {
      listenerArn,
      priority: productionPriority(env.services, svc),
      action,
      condition: [path],
      tags: { service: svc.name, 'berth-rule': 'production' },
      lifecycle: { ignoreChanges: ['action'] },
    });
    const test = new LbListenerRule(this, `test-rule-${svc.name}`, {
      listenerArn,
      priority: testPriority(env.services, svc),
      action,
      condition: [path, { httpHeader: { httpHeaderName: TEST_HEADER, values: [svc.name] } }],
      tags: { service: svc.name, 'berth-rule': 'test' },
      lifecycle: { ignoreChanges: ['action'] },
    });
    return { productionListenerRule: production.arn, testListenerRule: test.arn };
  }
}
