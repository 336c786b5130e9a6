/**
 * Everything the process prints to stdout (and stderr, if asked) from now on: the app runs in-process
 * in e2e tests, so this is the server's log output. Log lines are kept for the test, not shown among
 * the results; anything else (summary lines) still reaches the terminal.
 */
export function captureOutput(streams: NodeJS.WriteStream[] = [process.stdout]): string[] {
  const printed: string[] = [];
  for (const stream of streams) {
    const write = stream.write.bind(stream);
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      printed.push(String(chunk));
      if (String(chunk).startsWith('{"level":')) return true;
      return write(chunk as string, ...(rest as []));
    };
  }
  return printed;
}
