// Types for package-vsix.mjs (imported by scripts/demo.ts and bench/vsix.ts).
export const vsixPath: string;
export const PACKAGE_INPUTS: string[];
export function packageInputsHash(root?: string): string;
export function staleReason(hash?: string): string | undefined;
export function packageVsix(options?: {
  mode?: 'package' | 'no-prepublish' | 'stub';
  reuse?: boolean;
}): Promise<string>;
