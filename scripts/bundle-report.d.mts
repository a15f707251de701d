// Types for bundle-report.mjs (imported by test/unit/scripts/bundleReport.test.ts).
export interface BundleSummary {
  name: string;
  outfile: string;
  bytes: number;
  inputs: Array<{ name: string; bytes: number }>;
}
export function groupOf(input: string): string;
export function summarize(
  name: string,
  metafile: { outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }> },
  options?: { files?: boolean },
): BundleSummary;
