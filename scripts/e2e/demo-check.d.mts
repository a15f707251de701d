// Types for demo-check.mjs (imported by test/e2e/demo.e2e.ts).
export interface DemoCheck {
  ok: boolean;
  problems: string[];
  output: string;
  url?: string;
  workspace?: string;
}
export function checkDemo(options?: {
  command?: string;
  readyMs?: number;
  stopMs?: number;
  echo?: boolean;
}): Promise<DemoCheck>;
