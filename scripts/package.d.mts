// Types for package.mjs (imported by test/manifest/publish.test.ts).
export const releaseDir: string;
export function githubRepository(manifest: { repository?: string | { url?: string } }): string;
export function vsceOptions(
  manifest: { repository?: string | { url?: string } },
  ref: string,
): { baseContentUrl: string; baseImagesUrl: string; gitHubIssueLinking: false };
export function vsceArgs(manifest: { repository?: string | { url?: string } }, ref: string, out: string): string[];
export function releasePaths(version: string): { vsix: string; tgz: string };
