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

/**
 * A value read from outside the function (SSM: secrets, the config file) that may change while the
 * container lives: built like `perContainer`, and built again at the first call after `maxAgeMs`.
 * A rebuilt value `same` as the one in use is dropped, so everything built from the old one (by
 * identity, `rebuiltOnChange`) is kept; a rebuild that fails keeps the value in use and is tried
 * again at the next call.
 *
 * @example
 *   const config = renewed(() => loadAwsConfig(process.env, source), { maxAgeMs: 300_000, same: sameJson });
 */
export function renewed<T>(
  build: () => Promise<T>,
  options: {
    maxAgeMs: number;
    same: (current: T, next: T) => boolean;
    /** Told when a rebuild failed and the value in use is kept. */
    onKept?: (error: unknown) => void;
    now?: () => number;
  },
): () => Promise<T> {
  const now = options.now ?? Date.now;
  let current: { value: T; builtAt: number } | undefined;
  let pending: Promise<T> | undefined;
  return () => {
    if (current && now() - current.builtAt < options.maxAgeMs) return Promise.resolve(current.value);
    pending ??= build()
      .then(
        (next) => {
          const value = current && options.same(current.value, next) ? current.value : next;
          current = { value, builtAt: now() };
          return value;
        },
        (error: unknown) => {
          if (!current) throw error;
          options.onKept?.(error);
          return current.value;
        },
      )
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

/** Whether two plain values (configuration, secrets) hold the same data. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Builds a value from its inputs and keeps it while they stay the same objects: the clients built
 * from a configuration are rebuilt only when a renewal brought a different configuration. A failed
 * build is forgotten.
 *
 * @example
 *   const edgeFor = rebuiltOnChange(async (config: Config) => createEdgeDeps(config, process.env));
 *   const deps = await edgeFor(await awsConfig());
 */
export function rebuiltOnChange<I extends unknown[], T>(
  build: (...inputs: I) => Promise<T>,
): (...inputs: I) => Promise<T> {
  let built: { inputs: I; value: Promise<T> } | undefined;
  return (...inputs) => {
    if (
      built &&
      built.inputs.length === inputs.length &&
      built.inputs.every((input, i) => input === inputs[i])
    )
      return built.value;
    const value = build(...inputs).catch((error: unknown) => {
      if (built?.value === value) built = undefined;
      throw error;
    });
    built = { inputs, value };
    return value;
  };
}
