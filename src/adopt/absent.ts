/** Is this AWS error the answer "there is no such thing"? (Anything else is a real failure.) */
export function isAbsent(e: unknown): boolean {
  const name = (e as { name?: string; Code?: string })?.name ?? '';
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return /NotFound|NoSuch|DoesNotExist|InvalidParameterValue/.test(name) || status === 404;
}

/** The value of a read, or undefined when AWS says the thing does not exist. */
export async function orAbsent<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isAbsent(e)) return undefined;
    throw e;
  }
}
