import { enableCompileCache } from 'node:module';

/**
 * Node's compile cache: V8's code for every module required after this one, kept on disk, so a
 * later start reads compiled code instead of compiling (about 60 ms less of the Marketplace's
 * start, docs/benchmarks.md). Imported first by each `main.ts`, before anything it would speed up.
 *
 * Where: `NODE_COMPILE_CACHE` if set, otherwise Node's default, `<os.tmpdir()>/node-compile-cache`.
 * In the images that is /tmp: the root filesystem is read-only (k8s `readOnlyRootFilesystem`,
 * compose `read_only`) and /tmp is the writable emptyDir or tmpfs, so a container restarted in
 * the same pod starts warm and a new pod fills it on its first start. Node needs the directory
 * writable even to read it, so a cache filled at image build time under /app cannot be used.
 *
 * Never stops a start: a directory that cannot be created or written leaves the cache off (the
 * status says so); `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */
export const compileCache = enableCompileCache?.();
