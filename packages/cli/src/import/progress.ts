/** A one-line progress count on a terminal; nothing at all when stderr is a pipe or a file. */
export function createProgress(stream: NodeJS.WriteStream, intervalMs = 250) {
  let last = 0;
  let shown = false;
  return {
    update(sent: number): void {
      if (!stream.isTTY) return;
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      shown = true;
      stream.write(`\rimporting: ${sent.toLocaleString('en')} events sent`);
    },
    done(): void {
      if (!shown) return;
      shown = false;
      stream.write('\n');
    },
  };
}
