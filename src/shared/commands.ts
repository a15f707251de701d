/** Command ids contributed in package.json (checked by test/manifest). Client-only ids: `cftunnel.*`. */
export const COMMANDS = {
  restartServer: 'cftunnel.restartServer',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
