import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// Thin entry: the transport (stdio with --stdio, or node IPC when VS Code starts it) is chosen by the
// arguments; everything else lives in startServer so tests can drive the same code.
const connection = createConnection(ProposedFeatures.all);
startServer(connection, { rulesDirectoryHint: __dirname });
