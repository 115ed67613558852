/**
 * Reading the synthesized configuration: the address a `${type.name.attr}` reference points at, and
 * the resource config at an address. Pure.
 */
import type { SynthResource } from './facts.js';

/** The address of the first resource a value refers to (`${aws_vpc.network_vpc.id}` -> `aws_vpc.network_vpc`). */
export function refAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /\$\{(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\./.exec(value);
  return m?.[1];
}

/** The addresses a value refers to, in order. */
export function refAddresses(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...value.matchAll(/(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z_]+/g)].map((m) => m[1]!);
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && !v.includes('${') ? v : undefined);

/** The synthesized resources by address. */
export function byAddress(resources: readonly SynthResource[]): Map<string, SynthResource> {
  return new Map(resources.map((r) => [r.address, r]));
}

/** The name part of an address (`aws_subnet.network_subnet-private-1` -> `network_subnet-private-1`). */
export const localName = (address: string) => address.slice(address.indexOf('.') + 1);
