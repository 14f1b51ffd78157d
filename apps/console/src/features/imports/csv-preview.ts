/** The header of a CSV file and its first rows, read in the browser to offer the mapping. */
export interface CsvPreview {
  header: string[];
  rows: string[][];
}

/** Why a file cannot be imported, in words; the API judges the whole file again. */
export class CsvPreviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvPreviewError';
  }
}

/**
 * Decodes the bytes as UTF-8, refusing anything else rather than guessing: the API takes only
 * UTF-8 and would refuse the file anyway. A byte-order mark is dropped.
 */
export function decodeUtf8(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CsvPreviewError(
      'This file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8” and choose it again.',
    );
  }
}

/**
 * Reads RFC 4180 records (fields in double quotes may hold commas, quotes doubled and line
 * breaks) up to the header and `maxRows` rows; blank lines are skipped as the API skips them.
 */
export function previewCsv(text: string, maxRows = 3): CsvPreview {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.startsWith('\uFEFF') ? 1 : 0;

  const endRecord = () => {
    record.push(field);
    // A blank line is one empty field: not a record.
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
    field = '';
  };

  while (i < text.length && records.length < maxRows + 1) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line += 1;
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += c;
    }
    i += 1;
  }
  if (quoted) {
    throw new CsvPreviewError(
      `A quoted field that starts on line ${recordLine} is never closed: check its quotes.`,
    );
  }
  if (records.length < maxRows + 1 && (field !== '' || record.length > 0)) endRecord();

  const [header, ...rows] = records;
  if (header === undefined) throw new CsvPreviewError('The file is empty.');
  if (header.every((h) => h.trim() === '')) {
    throw new CsvPreviewError('The first line of the file must name the columns.');
  }
  if (rows.length === 0) {
    throw new CsvPreviewError('The file has a header line but no rows to import.');
  }
  return { header, rows };
}
