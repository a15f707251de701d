// Types for notices.mjs (imported by test/unit/scripts/notices.test.ts).
export interface BundledPackage {
  dir: string;
  name: string;
  version: string;
  license: string;
}
export const PERMISSIVE: Set<string>;
export function packageDirOf(input: string): string | undefined;
export function bundledPackages(
  metafiles: Array<{ outputs: Record<string, { inputs: Record<string, unknown> }> }>,
  root: string,
): BundledPackage[];
export function isPermissive(license: string): boolean;
export function noticesText(packages: BundledPackage[], root: string, productName: string): string;
