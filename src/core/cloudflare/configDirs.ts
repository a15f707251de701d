/**
 * Where cloudflared looks for its files without a flag naming them (cloudflared
 * `config.DefaultConfigSearchDirectories`): config.yml/config.yaml, cert.pem. The one list: the
 * workspace checks search it in the container (the image's user is `nonroot`), the sign-in looks
 * for cert.pem on this machine.
 */

/** The files cloudflared takes as its config in those directories, in its order. */
export const CLOUDFLARED_CONFIG_FILES = ['config.yml', 'config.yaml'] as const;

/** `~/.cloudflared`, `~/.cloudflare-warp`, `~/cloudflare-warp`, then (not on Windows) `/etc/cloudflared`, `/usr/local/etc/cloudflared`. */
export function cloudflaredSearchDirs(home: string, platform = 'linux'): string[] {
  const h = home.replace(/[/\\]+$/, '');
  const dirs = [`${h}/.cloudflared`, `${h}/.cloudflare-warp`, `${h}/cloudflare-warp`];
  if (platform !== 'win32') dirs.push('/etc/cloudflared', '/usr/local/etc/cloudflared');
  return dirs;
}
