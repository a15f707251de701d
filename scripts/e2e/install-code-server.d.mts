// Types for install-code-server.mjs (imported by scripts/demo.ts and bench/activation.ts).
export const CODE_SERVER_VERSION: string;
export const NODE_VERSION: string;
export const cacheDir: string;
export const markerFile: string;
export interface Installed {
  codeServerVersion: string;
  nodeVersion: string;
  node: string;
  nodeBinDir: string;
  codeServerEntry: string;
}
export function cleanNpmEnv(env?: NodeJS.ProcessEnv): Record<string, string>;
export function install(options?: { force?: boolean }): Promise<Installed>;
