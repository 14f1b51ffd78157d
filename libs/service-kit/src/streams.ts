import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { STREAMED } from './routes.js';

export interface CsvOptions {
  /** Offered to the browser as the file's name. */
  filename: string;
  /** Column names, written as the header row, in order; rows are objects keyed by them. */
  columns?: readonly string[];
}

/**
 * Streams rows as a CSV download. Cells that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`) are escaped, so an export never carries an injection.
 */
export async function sendCsv(
  res: Response,
  rows: AsyncIterable<unknown> | Iterable<unknown>,
  options: CsvOptions,
): Promise<typeof STREAMED> {
  res.status(200).type('text/csv; charset=utf-8').attachment(options.filename);
  const csv = options.columns
    ? stringify({ header: true, columns: [...options.columns], escape_formulas: true })
    : stringify({ escape_formulas: true });
  await pipeline(Readable.from(rows), csv, res);
  return STREAMED;
}

/** Streams items as one JSON array download, without holding them all in memory. */
export async function sendJsonArray(
  res: Response,
  items: AsyncIterable<unknown>,
  filename: string,
): Promise<typeof STREAMED> {
  res.status(200).type('application/json').attachment(filename);
  let first = true;
  res.write('[');
  for await (const item of items) {
    const chunk = `${first ? '' : ','}\n${JSON.stringify(item)}`;
    first = false;
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end(first ? ']' : '\n]\n');
  return STREAMED;
}
