/**
 * Ends the process quietly when whoever reads its output goes away (`bookstore books | head`):
 * the next write to the closed pipe fails with EPIPE, which Node otherwise throws as an
 * unhandled 'error' event with a stack trace. The reader has all it asked for, so the exit code
 * is whatever the command set so far (0 when it had not failed).
 */
export function endQuietlyOnClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit();
    });
  }
}
