/**
 * The sandbox's demo images: manifests pushed into each service's ECR repository on the emulator,
 * so that deploys, image checks and the emulator's ECS see a registry like a real one.
 *
 * - the configured tag, `v1`, `v2`, `v3`, `fail-exit`, `fail-health`, `fail-api` and `slow-api`:
 *   built for the service's CPU architecture (the `fail-*` ones fail when they run: see
 *   src/sandbox/moto/berth_moto; `fail-api` passes its health check and answers HTTP 500 on /api/*,
 *   `slow-api` answers /api/* after 3 s);
 * - `fail-arch`: built for the OTHER architecture (what `docker build` on an ARM Mac pushes), so an
 *   X86_64 task gets `exec format error` and `berth doctor` sees the mismatch in the manifest;
 * - `fail-pull` is deliberately absent: ECS reports CannotPullContainerError ... not found.
 *
 * Each manifest is an OCI image manifest whose config descriptor names its platform (and carries
 * the `org.opencontainers.image.architecture` annotation). Pushing is idempotent.
 */
import { createHash } from 'node:crypto';
import type { EnvironmentConfig } from '../config/types.js';
import { serviceNames } from '../config/names.js';

export const GOOD_TAGS = ['v1', 'v2', 'v3'] as const;
export const FAILING_TAGS = ['fail-exit', 'fail-health', 'fail-api', 'slow-api'] as const;
export const WRONG_ARCH_TAG = 'fail-arch';

export interface SeededImage {
  repository: string;
  tag: string;
  architecture: string;
  digest: string;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** An OCI image manifest for `repository:tag` built for `architecture` (amd64 / arm64). */
export function demoManifest(repository: string, tag: string, architecture: string): string {
  const seed = `${repository}:${tag}:${architecture}`;
  const config = {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    size: 1470 + (seed.length % 97),
    digest: `sha256:${sha(`config:${seed}`)}`,
    platform: { architecture, os: 'linux' },
  };
  const layers = [0, 1, 2].map((i) => ({
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    size: 2_000_000 + i * 731_113 + (seed.length % 1000),
    digest: `sha256:${sha(`layer${i}:${seed}`)}`,
  }));
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config,
    layers,
    annotations: { 'org.opencontainers.image.architecture': architecture, 'org.opencontainers.image.version': tag },
  });
}

/** Push the demo images of every service of the environment (through its AWS context: the emulator). */
export async function seedImages(env: EnvironmentConfig): Promise<SeededImage[]> {
  const { environmentContext } = await import('./context.js');
  const { ecr } = await import('../aws/clients.js');
  const { PutImageCommand, DescribeRepositoriesCommand } = await import('../aws/sdk/ecr.js');
  const client = await ecr(environmentContext(env));
  const out: SeededImage[] = [];
  for (const svc of env.services) {
    const repository = serviceNames(env, svc).repository;
    try {
      await client.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
    } catch {
      continue; // not a repository of this environment (an image from elsewhere): nothing to seed
    }
    const own = svc.cpuArchitecture === 'ARM64' ? 'arm64' : 'amd64';
    const other = own === 'arm64' ? 'amd64' : 'arm64';
    const tags = [...new Set([svc.imageTag, ...GOOD_TAGS, ...FAILING_TAGS])].map((tag) => ({ tag, architecture: own }));
    tags.push({ tag: WRONG_ARCH_TAG, architecture: other });
    for (const { tag, architecture } of tags) {
      const manifest = demoManifest(repository, tag, architecture);
      try {
        await client.send(
          new PutImageCommand({
            repositoryName: repository,
            imageTag: tag,
            imageManifest: manifest,
            imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
          }),
        );
      } catch (e) {
        if ((e as { name?: string }).name !== 'ImageAlreadyExistsException') throw e;
      }
      out.push({ repository, tag, architecture, digest: `sha256:${sha(manifest)}` });
    }
  }
  return out;
}
