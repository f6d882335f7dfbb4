import { CloseAction, ErrorAction, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult } from 'vscode-languageclient/node';
import { RestartPolicy } from './restartPolicy';

/**
 * Keeps the language server running through crashes. vscode-languageclient's default handler
 * shuts the client down for good after three errors writing to the server — which is what
 * happens when the server process dies while the editor has messages on their way (file
 * events, edits): the pipe refuses them (EPIPE) before the client sees the process close, and
 * the server was never started again. Write errors are therefore left to the close event, which
 * restarts the server as RestartPolicy says.
 */
export class RestartingErrorHandler implements ErrorHandler {
  private readonly policy = new RestartPolicy();

  constructor(private readonly name: string) {}

  error(): ErrorHandlerResult {
    return { action: ErrorAction.Continue };
  }

  closed(): CloseHandlerResult {
    if (this.policy.restartAfterCrash(Date.now())) return { action: CloseAction.Restart };
    return {
      action: CloseAction.DoNotRestart,
      message: `The ${this.name} language server stopped ${this.policy.recentCrashes} times in the last 3 minutes and will not be started again. The Shipshape output says why; "Developer: Reload Window" starts it again.`,
    };
  }
}
