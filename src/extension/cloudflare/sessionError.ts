/** Why there is no Cloudflare API to call (vscode-free, so src/extension/errorReport.ts and its tests can use it). */
export class SessionError extends Error {
  constructor(
    readonly kind: 'signed-out' | 'untrusted',
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}
