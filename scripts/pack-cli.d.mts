// Types for pack-cli.mjs (imported by test/integration/cli/npx.test.ts and bench/vsix.ts).
export const cliPackageDir: string;
export const cliBundle: string;
export function runtimeRequires(bundleText: string): string[];
export function buildCli(): Promise<number>;
export function cleanNpmEnv(env?: NodeJS.ProcessEnv): Record<string, string>;
export interface PackedCli {
  tarball: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
  bundleSize: number;
}
export function packCli(options?: { destination?: string }): Promise<PackedCli>;
