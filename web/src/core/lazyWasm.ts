// A wasm module loaded the first time it is used (the reports and import modules): the
// first load carries only the client core, and the service worker precaches these, so
// they load offline too.

/** What wasm-bindgen's `--target web` glue exports: an init function taking the bytes. */
interface Glue {
  default(init?: { module_or_path: BufferSource }): Promise<unknown>;
}

/** A lazily instantiated module, and where its bytes come from when nothing can be fetched. */
export interface LazyWasm<M> {
  /** The module, instantiated once; a failed load is retried on the next call. */
  get(): Promise<M>;
  /** Gives the module's bytes instead of fetching them (the unit tests, in Node). */
  useBytes(bytes: BufferSource): void;
}

/** `load` is the glue's dynamic `import()`, so the bundler splits it into its own chunk. */
export function lazyWasm<M extends Glue>(load: () => Promise<M>): LazyWasm<M> {
  let loading: Promise<M> | null = null;
  let givenBytes: BufferSource | undefined;
  return {
    get() {
      loading ??= load().then(async (m) => {
        await (givenBytes ? m.default({ module_or_path: givenBytes }) : m.default());
        return m;
      });
      const attempt = loading;
      attempt.catch(() => {
        if (loading === attempt) loading = null;
      });
      return attempt;
    },
    useBytes(bytes) {
      givenBytes = bytes;
    },
  };
}
