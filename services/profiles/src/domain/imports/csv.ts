import { Readable } from 'node:stream';
import { AppError } from '@crm/service-kit';
import { CsvError, parse, type Options } from 'csv-parse';

// Rows may be short or long (reported per row); blank lines are not rows.
const OPTIONS: Options = { bom: true, relax_column_count: true, skip_empty_lines: true };

/** Records of the file as a stream, the header first; never holds more than a few in memory. */
export function records(upload: Buffer): AsyncIterable<string[]> {
  return Readable.from([upload]).pipe(parse(OPTIONS));
}

/**
 * Reads the whole file once before anything is stored: its header and how many rows
 * follow, or a 422 saying where the file stops being CSV (an unterminated quote, say).
 */
export async function readCsv(upload: Buffer): Promise<{ header: string[]; rows: number }> {
  const invalid = (code: string, message: string) =>
    new AppError('validation_failed', 'The file is not a CSV file we can import', [
      { field: 'body', code, message },
    ]);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(upload);
  } catch {
    throw invalid('not_utf8', 'The file is not UTF-8 text');
  }
  let header: string[] | undefined;
  let rows = 0;
  try {
    for await (const record of records(upload)) {
      if (header === undefined) header = record.map((h) => h.trim());
      else rows += 1;
    }
  } catch (err) {
    if (err instanceof CsvError) throw invalid('malformed_csv', err.message);
    throw err;
  }
  if (header === undefined) throw invalid('empty_file', 'The file is empty');
  if (rows === 0) throw invalid('no_rows', 'The file has a header but no rows');
  return { header, rows };
}
