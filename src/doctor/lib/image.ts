/** Reading an image manifest (index, manifest, schema 1) for the platforms it was built for. */

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface ManifestInfo {
  kind: 'index' | 'manifest' | 'schema1' | 'unknown';
  mediaType?: string;
  /** For an index: the platforms of its image manifests (attestations left out). */
  platforms?: Platform[];
  /** For a single manifest: the config blob that names the architecture. */
  configDigest?: string;
  /** Schema 1 manifests carry the architecture themselves. */
  architecture?: string;
}

export function readManifest(text: string | undefined, mediaType?: string): ManifestInfo {
  if (!text) return { kind: 'unknown', mediaType };
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { kind: 'unknown', mediaType };
  }
  const mt = (mediaType ?? (m.mediaType as string | undefined)) || undefined;
  if (Array.isArray(m.manifests)) {
    const platforms = (m.manifests as { platform?: Platform }[])
      .map((x) => x.platform)
      .filter((p): p is Platform => Boolean(p && p.architecture && p.os && p.os !== 'unknown' && p.architecture !== 'unknown'));
    return { kind: 'index', mediaType: mt, platforms };
  }
  if (m.schemaVersion === 1 && typeof m.architecture === 'string') return { kind: 'schema1', mediaType: mt, architecture: m.architecture };
  const cfg = m.config as { digest?: string; platform?: Platform } | undefined;
  // A single manifest names its architecture only in the config blob, unless its config descriptor
  // carries a platform or the manifest an architecture annotation (some builders, and the sandbox, do).
  const ann = (m.annotations ?? {}) as Record<string, string>;
  const declared =
    cfg?.platform?.architecture ??
    ann['org.opencontainers.image.architecture'] ??
    (typeof m.architecture === 'string' ? m.architecture : undefined);
  if (cfg?.digest || declared)
    return { kind: 'manifest', mediaType: mt, configDigest: cfg?.digest, ...(declared ? { architecture: declared } : {}) };
  return { kind: 'unknown', mediaType: mt };
}

/** The OCI architecture name of an ECS cpuArchitecture. */
export function ociArch(cpu: string): string {
  return cpu === 'ARM64' ? 'arm64' : 'amd64';
}

/** The ECS cpuArchitecture of an OCI architecture name (undefined: Fargate runs neither). */
export function ecsArch(arch: string): 'X86_64' | 'ARM64' | undefined {
  if (arch === 'amd64' || arch === 'x86_64') return 'X86_64';
  if (arch === 'arm64' || arch === 'aarch64') return 'ARM64';
  return undefined;
}

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+json',
];
