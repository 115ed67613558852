import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Opts {
  cluster?: string;
  service?: string[];
  region?: string;
  name?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command): void {
  program
    .command('discover')
    .description(
      'Describe a platform berth did not build: from the ECS service(s), follow the task definition, target groups, load balancer, ' +
        'listeners and rules, security groups, subnets and their effective route tables, NAT gateways, the VPC, the log group, the ' +
        'Aurora cluster and Redis group it reaches, the Route 53 record and the certificate; write environments/<name>.json in ' +
        "berth's schema with a resource map pinning every role to the real resource, and list what it could not place or placed with doubt.\n" +
        'Never overwrites a file berth did not write. Reads only; ends within twice the read bound (default 4 min 22 s; it follows BERTH_AWS_TIMEOUT).\n' +
        exitHelp('discover'),
    )
    .option('-c, --cluster <cluster>', 'the ECS cluster (name or ARN)')
    .option(
      '-s, --service <service>',
      'an ECS service of the cluster (repeat for several: they become services of one environment)',
      collect,
    )
    .option('-r, --region <region>', 'the region (default: AWS_REGION / AWS_DEFAULT_REGION)')
    .option('-n, --name <name>', "the environment's name (default: made from the cluster's)")
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        const { discover } = await import('../../src/discover/run.js');
        const { renderDiscover } = await import('../../src/discover/render.js');
        const report = await discover(opts);
        out.result(report, () => renderDiscover(report, (s, x) => out.paint(s, x)));
      }),
    );
}
