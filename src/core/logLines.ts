/**
 * Splits a stream of text chunks into lines, linearly and with bounded memory: only the part of
 * the current line after the last newline is kept, and a line longer than `maxLine` characters is
 * cut there and marked (a pod that writes 400 MB without a newline costs `maxLine`, not 400 MB,
 * and every chunk is scanned once).
 */

/** The longest log line passed on whole (64 KiB); the rest of a longer line is dropped and marked. */
export const MAX_LOG_LINE = 64 * 1024;

export function truncationMark(dropped: number): string {
  return ` … [line cut at ${MAX_LOG_LINE / 1024} KiB: ${dropped} more character(s) not shown]`;
}

export class LineSplitter {
  private parts: string[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLine = MAX_LOG_LINE,
  ) {}

  /** Characters held for the current (unfinished) line: never more than `maxLine`. */
  get pending(): number {
    return this.kept;
  }

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      this.take(chunk, start, nl);
      this.flush();
      start = nl + 1;
    }
    if (start < chunk.length) this.take(chunk, start, chunk.length);
  }

  /** The stream ended: the last line, when it had no newline. */
  end(): void {
    if (this.kept > 0 || this.dropped > 0) this.flush();
  }

  private take(chunk: string, from: number, to: number): void {
    const room = this.maxLine - this.kept;
    const n = to - from;
    if (n <= room) {
      if (n > 0) this.parts.push(chunk.slice(from, to));
      this.kept += n;
      return;
    }
    if (room > 0) this.parts.push(chunk.slice(from, from + room));
    this.kept += Math.max(room, 0);
    this.dropped += n - Math.max(room, 0);
  }

  private flush(): void {
    let line = this.parts.join('');
    if (this.dropped === 0) line = line.replace(/\r$/, '');
    else line += truncationMark(this.dropped);
    this.parts = [];
    this.kept = 0;
    this.dropped = 0;
    this.onLine(line);
  }
}
