// `npm run demo`. The full demo (a real VS Code workbench on demo Cloudflare and Kubernetes API
// servers) is being built; until then this runs the checker on the example homelab workspace.
import { spawnSync } from 'node:child_process';

console.log('Checking examples/homelab with the cftunnel CLI (the same checks the editor shows):\n');
const r = spawnSync(process.execPath, ['dist/cli.js', 'check', 'examples/homelab'], { stdio: 'inherit' });
console.log('\nThe VS Code demo (workbench on demo data) is not available yet in this version.');
process.exit(r.status === 1 ? 0 : (r.status ?? 1));
