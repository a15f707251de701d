// Types for test.mjs (imported by test/unit/scripts).
export interface Suite {
  name: string;
  args: string[];
}
export interface SuiteResult {
  name: string;
  status: string;
  seconds: number;
}
export const SUITES: Suite[];
export function runSuites(suites?: Suite[], options?: { cwd?: string; stdio?: 'inherit' | 'ignore' }): SuiteResult[];
export function summary(results: SuiteResult[]): string;
