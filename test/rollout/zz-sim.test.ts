// THROWAWAY probe against the sandbox's extended moto (not committed).
import { it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, freePort } from '../../src/sandbox/emulator.js';
import { berth } from './sandbox-helper.js';
it('probe', async () => {
  const pub = await freePort();
  const emu = await startEmulator({ command: ['/root/.pyenv/versions/3.11.7/bin/python', 'src/sandbox/moto/launcher.py', '--public-port', String(pub)], logFile: '/tmp/scratch/sim.log' });
  const project = mkdtempSync(join(tmpdir(), 'sim-'));
  process.env.BERTH_PROJECT_DIR = project;
  mkdirSync(join(project, '.berth/sandbox'), { recursive: true });
  writeFileSync(join(project, '.berth/sandbox/sandbox.json'), JSON.stringify({ endpoint: emu.endpoint, region: 'us-east-1', pid: emu.pid, port: emu.port, publicUrl: `http://127.0.0.1:${pub}`, startedAt: new Date().toISOString() }));
  const cfg = { region: 'us-east-1', endpoint: emu.endpoint, credentials: { accessKeyId: 'AKIABERTHSANDBOXFAKE', secretAccessKey: 'x' } };
  const ec2m = await import('@aws-sdk/client-ec2'); const elbm = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const ecsm = await import('@aws-sdk/client-ecs'); const ecrm = await import('@aws-sdk/client-ecr'); const logsm = await import('@aws-sdk/client-cloudwatch-logs');
  const ec2 = new ec2m.EC2Client(cfg), elb = new elbm.ElasticLoadBalancingV2Client(cfg), ecs = new ecsm.ECSClient(cfg), ecr = new ecrm.ECRClient(cfg), logs = new logsm.CloudWatchLogsClient(cfg);
  try {
    const vpc = (await ec2.send(new ec2m.CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const s1 = (await ec2.send(new ec2m.CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.10.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    const s2 = (await ec2.send(new ec2m.CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.11.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
    const sg = (await ec2.send(new ec2m.CreateSecurityGroupCommand({ GroupName: 'demo-sandbox-app', Description: 'app', VpcId: vpc }))).GroupId!;
    const tg = (await elb.send(new elbm.CreateTargetGroupCommand({ Name: 'demo-sandbox-api', Protocol: 'HTTP', Port: 8001, VpcId: vpc, TargetType: 'ip', HealthCheckPath: '/health', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 3 }))).TargetGroups![0]!.TargetGroupArn!;
    const lb = (await elb.send(new elbm.CreateLoadBalancerCommand({ Name: 'demo-sandbox-alb', Subnets: [s1, s2], SecurityGroups: [sg] }))).LoadBalancers![0]!.LoadBalancerArn!;
    await elb.send(new elbm.CreateListenerCommand({ LoadBalancerArn: lb, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
    const repo = (await ecr.send(new ecrm.CreateRepositoryCommand({ repositoryName: 'demo/api' }))).repository!.repositoryUri!;
    await logs.send(new logsm.CreateLogGroupCommand({ logGroupName: '/ecs/demo-sandbox/api' }));
    await ecs.send(new ecsm.CreateClusterCommand({ clusterName: 'demo-sandbox' }));
    await ecs.send(new ecsm.RegisterTaskDefinitionCommand({ family: 'demo-sandbox-api', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '512', memory: '1024', runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [{ name: 'api', image: `${repo}:v1`, essential: true, portMappings: [{ containerPort: 8001 }], logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/demo-sandbox/api', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'api' } } }] }));
    await ecs.send(new ecsm.CreateServiceCommand({ cluster: 'demo-sandbox', serviceName: 'api', taskDefinition: 'demo-sandbox-api:1', desiredCount: 2, launchType: 'FARGATE', healthCheckGracePeriodSeconds: 10,
      networkConfiguration: { awsvpcConfiguration: { subnets: [s1, s2], securityGroups: [sg] } }, loadBalancers: [{ targetGroupArn: tg, containerName: 'api', containerPort: 8001 }],
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 } }));
    const show = async (...a: string[]) => { const t = Date.now(); const r = await berth(...a); console.log(`\n$ berth ${a.join(' ')} => exit ${r.code} in ${((Date.now()-t)/1000).toFixed(1)}s\n${r.stdout}\n--stderr--\n${r.stderr.split('\n').slice(-12).join('\n')}`); };
    await new Promise((r) => setTimeout(r, 4000));
    await show('status', '--env', 'sandbox');
    await show('health', '--env', 'sandbox');
    await show('deploy', '--env', 'sandbox', '--image', `${repo}:v2`, '--timeout', '90s', '--no-image-check');
    for (const tag of ['fail-exit', 'fail-pull', 'fail-arch', 'fail-health']) await show('deploy', '--env', 'sandbox', '--tag', tag, '--timeout', '120s', '--no-image-check');
    await show('deploy', '--env', 'sandbox', '--tag', 'fail-exit', '--timeout', '120s', '--no-image-check', '--no-rollback', '--max-failed-tasks', '50');
    await show('rollback', '--env', 'sandbox', '--yes', '--timeout', '90s');
    await show('logs', '--env', 'sandbox', '--since', '5m', '--filter', 'ERROR');
  } finally { await emu.stop(); }
}, 900000);
