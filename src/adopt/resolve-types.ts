/** The shape every per-type resolver shares (resolve.ts runs them). */
import type { Facts, SynthResource } from './facts.js';

/** A resolver's answer: an import id when the resource exists, and why, in a few words. */
export interface Found {
  id?: string;
  why: string;
}

export interface ResolveCtx {
  facts: Facts;
  resources: Map<string, SynthResource>;
  /** The import id decided for another address (resolved earlier), if it is imported. */
  idOf: (address: string) => string | undefined;
}

export type Resolver = (r: SynthResource, ctx: ResolveCtx) => Found;

/** `... exists: <id>` or the reason it is created. */
export const found = (id: string | undefined, what: string, missing: string): Found =>
  id ? { id, why: `${what} exists` } : { why: missing };
