/** Language server process entry: stdio/IPC transport, console redirected to the client. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// Anything a dependency prints must not corrupt the stdio channel.
/* eslint-disable no-console -- redirecting console is the one allowed use */
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
/* eslint-enable no-console */
createServer(connection);
connection.listen();
