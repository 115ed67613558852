/**
 * The runbooks' alarms, all sent (ALARM and OK) to one encrypted SNS topic with e-mail subscriptions:
 * per service CPU and memory (5 min), per target group unhealthy hosts (1 min), the ALB's 5xx share
 * of requests (5 min, metric math) and its p95 target response time (5 min).
 */
import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { names, serviceNames } from '../../src/config/names.js';
import { Dashboard } from './dashboard.js';
import type { EnvironmentConfig, ServiceConfig } from '../../src/config/types.js';

export interface AlarmsProps {
  env: EnvironmentConfig;
  /** The ALB's ARN suffix (CloudWatch `LoadBalancer` dimension, edge stack). */
  albArnSuffix: string;
  /** Target group ARN suffix per service name (edge stack). */
  targetGroupArnSuffixes: Record<string, string>;
  /** The ECS cluster name (service stack). */
  clusterName: string;
  /** ECS service name per service name (service stack). */
  serviceNames: Record<string, string>;
  /**
   * The key that encrypts the topic. Default: `customer-managed`, a KMS key of this stack whose
   * policy lets CloudWatch use it. `aws-managed` (alias/aws/sns) looks simpler but CloudWatch
   * alarms CANNOT publish to a topic encrypted with it (the AWS-managed key's policy does not admit
   * cloudwatch.amazonaws.com and cannot be edited), so every notification would silently fail.
   */
  topicKey?: 'customer-managed' | 'aws-managed';
  /** Days a deleted topic key waits before deletion. Default: 30 (7 in a sandbox). */
  keyDeletionWindowDays?: number;
  /** How alarms treat missing data. Default: `notBreaching` (an idle service is not an incident). */
  treatMissingData?: 'missing' | 'ignore' | 'breaching' | 'notBreaching';
}

/** The account and partition the alarms' ARNs are built from (terraform tokens). */
interface Where {
  account: string;
  partition: string;
}

type AlarmFn = (
  key: string,
  cfg: Omit<ConstructorParameters<typeof CloudwatchMetricAlarm>[2], 'alarmActions' | 'okActions' | 'treatMissingData' | 'actionsEnabled'>,
) => CloudwatchMetricAlarm;

export class Alarms extends Construct {
  readonly topicArn: string;
  /** Every alarm name created. */
  readonly alarmNames: string[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const env = props.env;
    const account = new DataAwsCallerIdentity(this, 'account', {});
    const partition = new DataAwsPartition(this, 'partition', {});
    const where: Where = { account: account.accountId, partition: partition.partition };
    const topic = this.topic(props, where, this.topicKey(props, where));
    this.topicArn = topic.arn;
    const common = {
      alarmActions: [topic.arn],
      okActions: [topic.arn],
      treatMissingData: props.treatMissingData ?? 'notBreaching',
      actionsEnabled: true,
    };
    const alarm: AlarmFn = (key, cfg) => {
      this.alarmNames.push(cfg.alarmName);
      return new CloudwatchMetricAlarm(this, key, { ...common, ...cfg });
    };
    for (const svc of env.services) this.serviceAlarms(props, svc, alarm);
    this.loadBalancerAlarms(props, alarm);
    const alarmArn = (name: string) => `arn:${where.partition}:cloudwatch:${env.region}:${where.account}:alarm:${name}`;
    new Dashboard(this, 'dashboard', { ...props, alarmArns: this.alarmNames.map(alarmArn) });
  }

  /** The topic's customer-managed key (CloudWatch may use it), or the AWS-managed one; returns its id for SNS. */
  private topicKey(props: AlarmsProps, where: Where): string {
    const env = props.env;
    const n = names(env);
    let keyId = 'alias/aws/sns';
    if ((props.topicKey ?? 'customer-managed') === 'customer-managed') {
      const key = new KmsKey(this, 'topic-key', {
        description: `Encrypts the alarm topic ${n.alarmTopic}; usable by CloudWatch alarms`,
        enableKeyRotation: true,
        deletionWindowInDays: props.keyDeletionWindowDays ?? (env.sandbox ? 7 : 30),
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountAdministers',
              Effect: 'Allow',
              Principal: { AWS: `arn:${where.partition}:iam::${where.account}:root` },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Resource: '*',
              Condition: { StringEquals: { 'aws:SourceAccount': where.account } },
            },
          ],
        }),
        tags: { Name: n.alarmKeyAlias },
      });
      new KmsAlias(this, 'topic-key-alias', { name: n.alarmKeyAlias, targetKeyId: key.keyId });
      keyId = key.arn;
    }
    return keyId;
  }

  /** The alarm topic, its policy (the account manages it, CloudWatch alarms of the environment publish) and the e-mail subscriptions. */
  private topic(props: AlarmsProps, where: Where, keyId: string): SnsTopic {
    const env = props.env;
    const n = names(env);
    const a = env.alarms;
    const topicArn = `arn:${where.partition}:sns:${env.region}:${where.account}:${n.alarmTopic}`;
    const topic = new SnsTopic(this, 'topic', { name: n.alarmTopic, kmsMasterKeyId: keyId, tags: { Name: n.alarmTopic } });
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountManages',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: [
              'SNS:GetTopicAttributes',
              'SNS:SetTopicAttributes',
              'SNS:AddPermission',
              'SNS:RemovePermission',
              'SNS:DeleteTopic',
              'SNS:Subscribe',
              'SNS:ListSubscriptionsByTopic',
              'SNS:Publish',
            ],
            Resource: topicArn,
            Condition: { StringEquals: { 'AWS:SourceOwner': where.account } },
          },
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicArn,
            Condition: {
              StringEquals: { 'aws:SourceAccount': where.account },
              ArnLike: { 'aws:SourceArn': `arn:${where.partition}:cloudwatch:${env.region}:${where.account}:alarm:${n.prefix}-*` },
            },
          },
        ],
      }),
    });
    [...a.emails]
      .sort()
      .forEach((email, i) => new SnsTopicSubscription(this, `email-${i}`, { topicArn: topic.arn, protocol: 'email', endpoint: email }));
    return topic;
  }

  /** A service's CPU, memory and unhealthy-target alarms. */
  private serviceAlarms(props: AlarmsProps, svc: ServiceConfig, alarm: AlarmFn): void {
    const env = props.env;
    const a = env.alarms;
    const sn = serviceNames(env, svc);
    const dims = { ClusterName: props.clusterName, ServiceName: props.serviceNames[svc.name] ?? sn.service };
    alarm(`${svc.name}-cpu`, {
      alarmName: sn.cpuAlarm,
      alarmDescription: `${svc.name}: average CPU above ${a.cpuPercent}% for 5 minutes`,
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      dimensions: dims,
      statistic: 'Average',
      period: 300,
      evaluationPeriods: 1,
      threshold: a.cpuPercent,
      comparisonOperator: 'GreaterThanThreshold',
    });
    alarm(`${svc.name}-memory`, {
      alarmName: sn.memoryAlarm,
      alarmDescription: `${svc.name}: average memory above ${a.memoryPercent}% for 5 minutes`,
      namespace: 'AWS/ECS',
      metricName: 'MemoryUtilization',
      dimensions: dims,
      statistic: 'Average',
      period: 300,
      evaluationPeriods: 1,
      threshold: a.memoryPercent,
      comparisonOperator: 'GreaterThanThreshold',
    });
    const tg = props.targetGroupArnSuffixes[svc.name];
    if (!tg) throw new Error(`service ${svc.name}: no target group in the edge stack`);
    alarm(`${svc.name}-unhealthy-hosts`, {
      alarmName: sn.unhealthyHostsAlarm,
      alarmDescription: `${svc.name}: at least one unhealthy target for 1 minute`,
      namespace: 'AWS/ApplicationELB',
      metricName: 'UnHealthyHostCount',
      dimensions: { LoadBalancer: props.albArnSuffix, TargetGroup: tg },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
    });
  }

  /** The load balancer's 5xx share and p95 latency alarms. */
  private loadBalancerAlarms(props: AlarmsProps, alarm: AlarmFn): void {
    const n = names(props.env);
    const a = props.env.alarms;
    const lb = { LoadBalancer: props.albArnSuffix };
    const sum = (id: string, metricName: string) => ({
      id,
      returnData: false,
      metric: { namespace: 'AWS/ApplicationELB', metricName, dimensions: lb, period: 300, stat: 'Sum' },
    });
    alarm('alb-5xx-rate', {
      alarmName: n.alb5xxAlarm,
      alarmDescription: `Load balancer: 5xx responses (targets + ALB) above ${a.http5xxPercent}% of requests for 5 minutes`,
      metricQuery: [
        sum('target5xx', 'HTTPCode_Target_5XX_Count'),
        sum('elb5xx', 'HTTPCode_ELB_5XX_Count'),
        sum('requests', 'RequestCount'),
        {
          id: 'rate',
          label: '5xx share of requests (%)',
          expression: 'IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)',
          returnData: true,
        },
      ],
      evaluationPeriods: 1,
      threshold: a.http5xxPercent,
      comparisonOperator: 'GreaterThanThreshold',
    });
    alarm('alb-p95-latency', {
      alarmName: n.albLatencyAlarm,
      alarmDescription: `Load balancer: p95 target response time above ${a.p95LatencySeconds} s for 5 minutes`,
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      dimensions: lb,
      extendedStatistic: 'p95',
      period: 300,
      evaluationPeriods: 1,
      threshold: a.p95LatencySeconds,
      comparisonOperator: 'GreaterThanThreshold',
    });
  }
}
