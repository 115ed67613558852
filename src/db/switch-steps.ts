/**
 * How to move a service onto a restored cluster: a separate, deliberate step berth prints rather
 * than takes (it changes where production writes; the person doing it must choose the moment and
 * stop writes to the old cluster first). Pure.
 *
 * The restored cluster is in the same subnet group and security groups as the current one (so the
 * service's security group already reaches it); what differs is its endpoint (DATABASE_HOST) and
 * its master user secret (a restore does not carry RDS's managed secret over: it must be turned on).
 */
export interface SwitchFacts {
  env: string;
  service?: string;
  region: string;
  oldCluster: string;
  newCluster: string;
  newEndpoint?: string;
  securityGroups: string[];
  family?: string;
}

export function switchSteps(f: SwitchFacts): string[] {
  const svc = f.service ?? '<service>';
  return [
    `Stop writes to ${f.oldCluster} (e.g. \`berth scale --env ${f.env} --service ${svc} --count 0\`, or the app's maintenance ` +
      `mode) so nothing is lost in between.`,
    `Give ${f.newCluster} a managed master secret: \`aws rds modify-db-cluster --region ${f.region} --db-cluster-identifier ` +
      `${f.newCluster} --manage-master-user-password --apply-immediately\`; ` +
      `its ARN is then MasterUserSecret.SecretArn of \`aws rds describe-db-clusters --db-cluster-identifier ${f.newCluster}\`.`,
    `Register a revision of ${f.family ?? "the service's task definition"} with ` +
      `DATABASE_HOST=${f.newEndpoint ?? `<endpoint of ${f.newCluster}>`} and every secret that referenced ` +
      `${f.oldCluster}'s master secret pointing at the new secret ARN (keep the :username:: / :password:: suffixes).`,
    `Move the service to it with a watched rollout: \`berth rollback --env ${f.env} --service ${svc} --to <that revision>\` (it ` +
      `verifies the tasks start and pass health checks), then scale back.`,
    `Security groups: ${f.newCluster} uses ${f.securityGroups.join(', ') || 'the same groups as ' + f.oldCluster}, the ones the ` +
      `service already reaches; \`berth doctor --env ${f.env} database\` checks the path.`,
    `${f.oldCluster} stays as it was until you delete it; terraform still manages ${f.oldCluster}, not ${f.newCluster}: to make ` +
      `the restore permanent, import it into the data stack or restore again under the managed name after deleting the old one.`,
  ];
}
