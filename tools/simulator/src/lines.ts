import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * A file of lines written in large synchronous chunks, under a temporary name until
 * `commit`: a reader never mistakes an interrupted run's file for a complete one.
 */
export class LineFile {
  private readonly fd: number;
  private readonly partial: string;
  private chunk: string[] = [];
  private size = 0;
  lines = 0;

  constructor(private readonly file: string) {
    this.partial = `${file}.partial`;
    this.fd = openSync(this.partial, 'w');
  }

  write(line: string): void {
    this.chunk.push(line, '\n');
    this.size += line.length + 1;
    this.lines += 1;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.chunk.length === 0) return;
    writeSync(this.fd, this.chunk.join(''));
    this.chunk = [];
    this.size = 0;
  }

  commit(): string {
    this.flush();
    closeSync(this.fd);
    renameSync(this.partial, this.file);
    return this.file;
  }

  discard(): void {
    closeSync(this.fd);
    rmSync(this.partial, { force: true });
  }
}
