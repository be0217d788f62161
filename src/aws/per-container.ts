/**
 * Lambda keeps a container (and its module scope) between invocations: what is built once here —
 * secrets, clients, the Bolt app — is reused by every later invocation of that container.
 */

/**
 * Builds a value on first use and hands the same promise to every later caller. A failed build is
 * forgotten, so the next invocation tries again (SSM throttled, say) instead of failing forever.
 *
 * @example
 *   const deps = perContainer(async () => buildDeps(await loadAwsConfig(process.env, ssmSecretSource())));
 *   export const handler = async (event) => handle(event, await deps());
 */
export function perContainer<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
