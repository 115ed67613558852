/** Container image references as ECS takes them: `<registry>/<repository>[:<tag>][@sha256:<digest>]`. Pure. */

export interface ImageRef {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const IMAGE_RE =
  /^(?:(?<registry>(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(?::\d+)?|localhost(?::\d+)?|[a-zA-Z0-9-]+:\d+)\/)?(?<repo>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

export function parseImage(s: string): ImageRef | undefined {
  const m = IMAGE_RE.exec(s.trim());
  if (!m?.groups) return undefined;
  return { registry: m.groups.registry, repository: m.groups.repo!, tag: m.groups.tag, digest: m.groups.digest };
}

/** An image tag: letters, digits, _ . -, at most 128, not starting with . or -. */
export const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
