/**
 * A scripted AWS endpoint for deploy orchestration tests: it answers the ECS (JSON 1.1), ELBv2
 * (query/XML) and CloudWatch Logs (JSON) calls a deploy makes, replaying a recorded timeline
 * (test/rollout/fixtures) after berth's UpdateService, shifted to the time of that call. The
 * rollback berth starts is answered from a second, generated timeline. Also serves /health for
 * the smoke check (the sandbox's public URL stand-in). Listens on 127.0.0.1, port 0.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fixture, RecordedPoll } from './load-fixture.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const REPO = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/demo/api`;
export const TD = (rev: number) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/demo-sandbox-api:${rev}`;

export interface Call {
  service: 'ecs' | 'ecr' | 'elbv2' | 'logs' | 'http';
  op: string;
  input: Record<string, unknown>;
  host?: string;
}

export type RollbackOutcome = 'completes' | 'fails' | 'never';

export interface ScriptOptions {
  fixture: Fixture;
  /** What happens after berth's own rollback UpdateService. */
  rollback?: RollbackOutcome;
  /** Answer this many DescribeServices calls with ThrottlingException after the deploy starts. */
  throttleFirst?: number;
  /** The /health answer (smoke check). */
  healthStatus?: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Move every ISO time in a recorded value by `delta` ms. */
function shift<T>(v: T, delta: number): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string' && ISO.test(x)) return new Date(Date.parse(x) + delta).toISOString();
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  return walk(v) as T;
}

function taskDefinition(rev: number, image: string) {
  return {
    taskDefinitionArn: TD(rev),
    family: 'demo-sandbox-api',
    revision: rev,
    status: 'ACTIVE',
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/demo-sandbox-api-task`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/demo-sandbox-api-exec`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    cpu: '512',
    memory: '1024',
    registeredAt: '2025-04-30T09:12:44.120Z',
    registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`,
    containerDefinitions: [
      {
        name: 'api',
        image,
        essential: true,
        portMappings: [{ containerPort: 8001, hostPort: 8001, protocol: 'tcp' }],
        environment: [{ name: 'LOG_LEVEL', value: 'info' }],
        secrets: [{ name: 'REDIS_URL', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:demo/sandbox/redis-Xy12Ab:url::` }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/demo-sandbox/api', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'api' },
        },
      },
    ],
    volumes: [],
    placementConstraints: [],
  };
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function targetHealthXml(list: NonNullable<RecordedPoll['describeTargetHealth']>['TargetHealthDescriptions']): string {
  const members = list
    .map((d) => {
      const th = d.TargetHealth ?? {};
      return `<member><Target><Id>${d.Target?.Id}</Id><Port>${d.Target?.Port}</Port></Target><HealthCheckPort>${d.HealthCheckPort ?? ''}</HealthCheckPort><TargetHealth><State>${th.State}</State>${th.Reason ? `<Reason>${th.Reason}</Reason>` : ''}${th.Description ? `<Description>${xmlEscape(th.Description)}</Description>` : ''}</TargetHealth></member>`;
    })
    .join('');
  return `<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetHealthResult><TargetHealthDescriptions>${members}</TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>5f2a1c3e-0d9b-4e8f-a7c6-b5d4e3f2a1b0</RequestId></ResponseMetadata></DescribeTargetHealthResponse>`;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class ScriptedAws {
  readonly calls: Call[] = [];
  private server!: Server;
  endpoint = '';
  private deployAt = 0;
  private rollbackAt = 0;
  /** Index of the recorded poll the last DescribeServices answered (tasks and targets follow it). */
  private served = 0;
  private pollIndex = 0;
  private rollbackPoll = 0;
  private rollbackServed = 0;
  private throttled = 0;
  private registered?: Record<string, unknown>;
  private phase: 'before' | 'deploy' | 'rollback' = 'before';
  private tags = new Map<string, { key: string; value: string }[]>();

  constructor(private readonly o: ScriptOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, type, text }) => res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': 'req-1' }).end(text),
        (e) => res.writeHead(500).end(String(e)),
      );
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  ops(service: Call['service'], op?: string): Call[] {
    return this.calls.filter((c) => c.service === service && (!op || c.op === op));
  }

  get registeredInput() {
    return this.registered;
  }

  private f() {
    return this.o.fixture;
  }

  /** The recorded poll for "now" (the timeline advances one poll per DescribeServices). */
  private current(i = this.served): RecordedPoll {
    const snaps = this.f().snapshots.filter((s) => !s.error);
    const p = snaps[Math.min(i, snaps.length - 1)]!;
    return shift(p, this.deployAt - Date.parse(String(this.f().identity.startedAt)));
  }

  /** Before the deploy: rev 6, settled, as the first poll shows the old deployment. */
  private before(): RecordedPoll {
    const p = structuredClone(this.f().snapshots.find((s) => !s.error)!);
    const svc = p.describeServices!.services[0]!;
    const prev = new Set(this.f().identity.previousDeploymentIds);
    svc.deployments = svc
      .deployments!.filter((d) => prev.has(d.id!))
      .map((d) => ({ ...d, status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2, desiredCount: 2, pendingCount: 0 }));
    svc.taskDefinition = TD(6);
    p.describeTasks!.tasks = p.describeTasks!.tasks.filter((t) => t.taskDefinitionArn === TD(6));
    p.describeTargetHealth!.TargetHealthDescriptions = p.describeTargetHealth!.TargetHealthDescriptions.filter((t) =>
      ['10.0.10.21', '10.0.11.37'].includes(t.Target?.Id ?? ''),
    );
    return p;
  }

  /** After berth's rollback: a new deployment of rev 6 that completes, fails, or never starts. */
  private rollbackPollNow(): RecordedPoll {
    const base = this.before();
    const svc = base.describeServices!.services[0]!;
    const at = (s: number) => new Date(this.rollbackAt + s * 1000).toISOString();
    const id = 'ecs-svc/4242424242424242424';
    const n = this.rollbackServed;
    const outcome = this.o.rollback ?? 'completes';
    if (outcome === 'never') {
      svc.deployments = [{ ...svc.deployments![0]!, status: 'PRIMARY' }];
      return base;
    }
    const failed = {
      id: 'ecs-svc/5318942207519377408',
      status: 'ACTIVE',
      taskDefinition: TD(7),
      desiredCount: 0,
      runningCount: 0,
      pendingCount: 0,
      rolloutState: 'IN_PROGRESS',
      createdAt: at(-60),
      updatedAt: at(0),
    };
    if (outcome === 'fails') {
      svc.deployments = [
        {
          id,
          status: 'PRIMARY',
          taskDefinition: TD(6),
          desiredCount: 2,
          runningCount: 0,
          pendingCount: 2,
          failedTasks: 1,
          rolloutState: 'IN_PROGRESS',
          createdAt: at(0),
          updatedAt: at(1),
        },
        failed,
      ];
      base.describeTasks!.tasks = [
        {
          taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/demo-sandbox/7777aaaa7777aaaa7777aaaa7777aaaa`,
          taskDefinitionArn: TD(6),
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          startedBy: id,
          stopCode: 'TaskFailedToStart',
          stoppedReason: `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:demo/sandbox/redis-Xy12Ab from secrets manager: AccessDeniedException: User: arn:aws:sts::${ACCOUNT}:assumed-role/demo-sandbox-api-exec/x is not authorized to perform: secretsmanager:GetSecretValue`,
          createdAt: at(1),
          stoppedAt: at(2),
          containers: [{ name: 'api', lastStatus: 'STOPPED' }],
        },
      ];
      base.describeTargetHealth!.TargetHealthDescriptions = [];
      return base;
    }
    svc.deployments =
      n === 0
        ? [
            {
              id,
              status: 'PRIMARY',
              taskDefinition: TD(6),
              desiredCount: 2,
              runningCount: 0,
              pendingCount: 2,
              rolloutState: 'IN_PROGRESS',
              createdAt: at(0),
              updatedAt: at(0),
            },
            failed,
          ]
        : [
            {
              id,
              status: 'PRIMARY',
              taskDefinition: TD(6),
              desiredCount: 2,
              runningCount: 2,
              pendingCount: 0,
              rolloutState: 'COMPLETED',
              createdAt: at(0),
              updatedAt: at(1),
            },
          ];
    base.describeTasks!.tasks = base.describeTasks!.tasks.map((t) => ({ ...t, startedBy: id, createdAt: at(1) }));
    return base;
  }

  private poll(): RecordedPoll {
    if (this.phase === 'before') return this.before();
    if (this.phase === 'rollback') return this.rollbackPollNow();
    return this.current();
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; type: string; text: string }> {
    const text = await body(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    // On the wire (awsJson1_1) timestamps are epoch seconds; the recordings hold the CLI's ISO strings.
    const json = (o: unknown, status = 200) => ({
      status,
      type: 'application/x-amz-json-1.1',
      text: JSON.stringify(o, (_k, v) => (typeof v === 'string' && ISO.test(v) ? Date.parse(v) / 1000 : v)),
    });
    if (req.method === 'GET') {
      this.calls.push({ service: 'http', op: req.url ?? '', input: {}, host: req.headers.host });
      const st = this.o.healthStatus ?? 200;
      return { status: st, type: 'application/json', text: st < 300 ? '{"status":"healthy"}' : '{"status":"unhealthy"}' };
    }
    if (target.startsWith('AmazonEC2ContainerServiceV20141113.')) {
      const op = target.split('.')[1]!;
      const input = JSON.parse(text || '{}') as Record<string, unknown>;
      this.calls.push({ service: 'ecs', op, input });
      switch (op) {
        case 'DescribeServices': {
          if (this.phase === 'deploy' && this.throttled < (this.o.throttleFirst ?? 0)) {
            this.throttled++;
            return json({ __type: 'ThrottlingException', message: 'Rate exceeded' }, 400);
          }
          if (this.phase === 'deploy') this.served = this.pollIndex++;
          if (this.phase === 'rollback') this.rollbackServed = this.rollbackPoll++;
          return json(this.poll().describeServices);
        }
        case 'ListTasks': {
          const p = this.poll();
          const want = input.desiredStatus === 'STOPPED';
          return json({
            taskArns: (p.describeTasks?.tasks ?? []).filter((t) => (t.desiredStatus === 'STOPPED') === want).map((t) => t.taskArn),
          });
        }
        case 'DescribeTasks': {
          const p = this.poll();
          const arns = new Set(input.tasks as string[]);
          return json({ tasks: (p.describeTasks?.tasks ?? []).filter((t) => arns.has(t.taskArn!)), failures: [] });
        }
        case 'DescribeTaskDefinition': {
          const rev = Number(String(input.taskDefinition).split(':').pop());
          const td =
            rev === 7 && this.registered
              ? { ...this.registered, taskDefinitionArn: TD(7), revision: 7, status: 'ACTIVE' }
              : taskDefinition(rev, `${REPO}:v${rev - 5}`);
          return json({ taskDefinition: td, tags: this.tags.get(TD(rev)) ?? [] });
        }
        case 'RegisterTaskDefinition':
          this.registered = input;
          return json({ taskDefinition: { ...input, taskDefinitionArn: TD(7), revision: 7, status: 'ACTIVE' } });
        case 'UpdateService':
          if (this.phase === 'before') {
            this.phase = 'deploy';
            this.deployAt = Date.now();
          } else {
            this.phase = 'rollback';
            this.rollbackAt = Date.now();
          }
          return json({ service: {} });
        case 'TagResource':
          this.tags.set(String(input.resourceArn), [
            ...(this.tags.get(String(input.resourceArn)) ?? []),
            ...(input.tags as { key: string; value: string }[]),
          ]);
          return json({});
        case 'ListTaskDefinitions':
          return json({ taskDefinitionArns: [TD(7), TD(6), TD(5)] });
        default:
          return json({ __type: 'UnknownOperationException', message: op }, 400);
      }
    }
    if (target.startsWith('AmazonEC2ContainerRegistry_V20150921.')) {
      const op = target.split('.')[1]!;
      const input = JSON.parse(text || '{}') as Record<string, unknown>;
      this.calls.push({ service: 'ecr' as Call['service'], op, input });
      if (op === 'DescribeImages')
        return json({
          imageDetails: [{ registryId: ACCOUNT, repositoryName: 'demo/api', imageDigest: `sha256:${'ab'.repeat(32)}`, imageTags: ['v2'] }],
        });
      if (op === 'DescribeRepositories') return json({ repositories: [{ repositoryName: 'demo/api', repositoryUri: REPO }] });
      return json({ __type: 'UnknownOperationException', message: op }, 400);
    }
    if (target.startsWith('Logs_20140328.')) {
      const op = target.split('.')[1]!;
      const input = JSON.parse(text || '{}') as Record<string, unknown>;
      this.calls.push({ service: 'logs', op, input });
      const task = String(input.logStreamName ?? '')
        .split('/')
        .pop()!;
      const lines =
        this.f()
          .snapshots.map((s) => s.logs?.[task])
          .find(Boolean) ?? [];
      return json({ events: lines.map((message, i) => ({ timestamp: Date.now() - 1000 + i, message, ingestionTime: Date.now() })) });
    }
    const form = new URLSearchParams(text);
    if (form.get('Action') === 'DescribeTargetHealth') {
      this.calls.push({ service: 'elbv2', op: 'DescribeTargetHealth', input: Object.fromEntries(form) });
      const p = this.poll();
      return { status: 200, type: 'text/xml', text: targetHealthXml(p.describeTargetHealth?.TargetHealthDescriptions ?? []) };
    }
    return { status: 400, type: 'text/plain', text: `unscripted call: ${target || form.get('Action')}` };
  }
}
