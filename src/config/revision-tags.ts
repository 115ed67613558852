/**
 * The tags berth puts on task definition revisions it watched: `berth:healthy-at=<ISO time>` on one
 * it saw succeed, `berth:failed-at=<ISO time>` on one that failed. Here because the stacks, which
 * may import only src/config, tell terraform to leave them alone; src/ecs/revisions.ts re-exports
 * them for the rest of berth.
 */
export const HEALTHY_TAG = 'berth:healthy-at';
export const FAILED_TAG = 'berth:failed-at';
/** Marks a revision registered only to run one-off tasks (berth run --image/--tag): never a release. */
export const ONE_OFF_TAG = 'berth:one-off';
/** Marks the revision the service stack's terraform registered (value `terraform`): never pruned. */
export const TERRAFORM_REVISION_TAG = 'berth:registered-by';
