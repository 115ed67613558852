/**
 * The public edge: an internet-facing Application Load Balancer in the public subnets, HTTP:80 that
 * only redirects to HTTPS, HTTPS:443 with a TLS 1.2+/1.3 policy and the validated certificate, one
 * target group per service (ip targets, the service's health check), path rules, and the alias
 * record `names(env).fqdn` -> ALB.
 */
import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb/index.js';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule/index.js';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { names, serviceNames } from '../../src/config/names.js';
import { routeOrder } from '../../src/config/routes.js';
import { ACCESS_LOG_PREFIX, AccessLogBucket } from './access-logs.js';
import type { EnvironmentConfig } from '../../src/config/types.js';

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

    const tgs: Record<string, LbTargetGroup> = {};
    for (const svc of env.services) {
      const sn = serviceNames(env, svc);
      const hc = svc.healthCheck;
      const tg = new LbTargetGroup(this, `tg-${svc.name}`, {
        name: sn.targetGroup,
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
        tags: { Name: sn.targetGroup, service: svc.name },
      });
      tgs[svc.name] = tg;
      this.targetGroupArns[svc.name] = tg.arn;
      this.targetGroupArnSuffixes[svc.name] = tg.arnSuffix;
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
        ? [{ type: 'forward', targetGroupArn: tgs[fallback.name]!.arn }]
        : [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', messageBody: 'Not Found', statusCode: '404' } }],
    });
    this.httpListenerArn = http.arn;
    this.httpsListenerArn = https.arn;

    for (const { service, priority } of routeOrder(env.services)) {
      new LbListenerRule(this, `rule-${service.name}`, {
        listenerArn: https.arn,
        priority,
        action: [{ type: 'forward', targetGroupArn: tgs[service.name]!.arn }],
        condition: [{ pathPattern: { values: [service.pathPattern] } }],
        tags: { service: service.name },
      });
    }

    new Route53Record(this, 'alias', {
      zoneId: props.zoneId,
      name: n.fqdn,
      type: 'A',
      alias: { name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true },
    });
  }
}
