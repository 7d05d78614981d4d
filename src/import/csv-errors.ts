/**
 * A CSV file csv-parse cannot read, in the words of the person who has to fix it: the line and
 * column, what is wrong there, and what to write instead ("Invalid Record Length: columns length
 * is 2, got 3 on line 2" says none of that). Shared by the customers', balances' and packages' import;
 * `readCsvRecords` reads the balances' and packages' files with it.
 */
import { parse } from 'csv-parse/sync';
import { LinkaError } from '../errors.js';

/** What the message needs to know about the file. */
export interface CsvFileShape {
  /** The text that was parsed. */
  text: string;
  /** The header's column names as read (lower case, trimmed). */
  header: readonly string[];
  /** The separator between columns: "," or ";". */
  delimiter: string;
  /**
   * What to write instead when a value holds the separator, which splits it in two: "put such a
   * value in double quotes ("Hlavní 5, Plzeň")".
   */
  splitAdvice: string;
  /** A split value the importer recognises (an amount with a decimal comma): its column (1-based), what is wrong, what to write instead. */
  splitValue?: (values: readonly string[]) => { column: number; problem: string; advice: string } | null;
}

/** The fields of csv-parse's CsvError this reads. */
interface CsvParseError {
  code: string;
  message: string;
  lines: number;
  column?: string | number | null;
  record?: string[];
  /** The bytes of the complete records before the error. */
  bytes_records?: number;
}

function isCsvParseError(err: unknown): err is CsvParseError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && typeof (err as { lines?: unknown }).lines === 'number';
}

/** The error to throw for `err`, thrown by csv-parse while reading a file of this shape. */
export function csvReadError(err: unknown, shape: CsvFileShape): LinkaError {
  return new LinkaError('csv_invalid', `The CSV file cannot be read: ${describe(err, shape)}`, { cause: err });
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function describe(err: unknown, shape: CsvFileShape): string {
  if (!isCsvParseError(err)) return err instanceof Error ? err.message : String(err);
  const { header, delimiter } = shape;
  const line = err.lines;
  const columns = `${plural(header.length, 'column')}: ${header.join(', ')}`;
  // csv-parse names the column it was in (or gives its index while reading the header).
  const at = (where: number, column: string | number | null | undefined): string => {
    const index = typeof column === 'number' ? column : typeof column === 'string' ? header.indexOf(column) : -1;
    return index >= 0 ? `line ${where}, column ${index + 1}${header[index] ? ` (${header[index]})` : ''}` : `line ${where}`;
  };
  const quoteAdvice = 'put the whole value in double quotes and double each quote inside it, e.g. "Jan ""Honza"" Novák"';
  switch (err.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const values = err.record ?? [];
      const counts = `the line has ${plural(values.length, 'value')}, the header ${columns}`;
      if (values.length > header.length) {
        const known = shape.splitValue?.(values);
        if (known) return `${at(line, known.column - 1)}: ${known.problem} (${counts}). ${known.advice}`;
        const extra = header.length;
        return `line ${line}, column ${extra + 1}: more values than the header has columns, from "${values[extra]}" on (${counts}). A "${delimiter}" inside a value splits it in two: ${shape.splitAdvice}`;
      }
      return `${at(line, values.length)} is missing (${counts}). For a column without a value, leave nothing between two separators ("${delimiter}${delimiter}")`;
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      // csv-parse reports the end of the file; the quote was opened on the line its record starts.
      return `${at(recordStartLine(shape.text, err.bytes_records, header.length > 0) ?? line, err.column)}: a value starts with a double quote (") that is never closed: close it, or ${quoteAdvice}`;
    case 'INVALID_OPENING_QUOTE':
      return `${at(line, err.column)}: a double quote (") in the middle of a value: ${quoteAdvice}`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `${at(line, err.column)}: text after the closing double quote (") of a value: ${quoteAdvice}`;
    default:
      return `line ${line}: ${err.message}`;
  }
}

/**
 * The line (1-based) where the record after the first `bytes` bytes of `text` starts, blank lines
 * skipped. csv-parse counts the bytes of the data records only: 0 is just after the header line
 * (when it was read).
 */
function recordStartLine(text: string, bytes: number | undefined, headerRead: boolean): number | null {
  if (bytes === undefined) return null;
  const before = bytes > 0 || !headerRead ? Buffer.from(text, 'utf8').subarray(0, bytes).toString('utf8') : text.slice(0, text.indexOf('\n') + 1);
  const blank = /^(?:[ \t]*\r?\n)*/.exec(text.slice(before.length))?.[0] ?? '';
  return before.split('\n').length + blank.split('\n').length - 1;
}

/** A record of a CSV file with the line it ends on. */
export interface CsvRecord {
  record: Record<string, string>;
  info: { lines: number };
}

/**
 * The records of a CSV file whose header must have `required` and may have only `columns`: a
 * byte-order mark dropped, ";" as the separator when the first line has it and no "," (Czech
 * spreadsheet exports), every mistake said by line and column (`advice` for a split value).
 */
export function readCsvRecords(
  text: string,
  columns: readonly string[],
  required: readonly string[],
  advice: (shape: { header: readonly string[]; delimiter: string }) => Pick<CsvFileShape, 'splitAdvice' | 'splitValue'>,
): CsvRecord[] {
  let header: string[] = [];
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: CsvRecord[];
  try {
    records = parse(body, {
      columns: (names: string[]) => (header = names.map((h) => h.trim().toLowerCase())).map((h) => h || false),
      skip_empty_lines: true,
      info: true,
      delimiter,
    }) as CsvRecord[];
  } catch (err) {
    throw csvReadError(err, { text: body, header, delimiter, ...advice({ header, delimiter }) });
  }
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) throw new LinkaError('csv_invalid', `The CSV header lacks the column(s) ${missing.join(', ')} (expected: ${columns.join(', ')})`);
  const unknown = header.filter((h) => h !== '' && !columns.includes(h));
  if (unknown.length) throw new LinkaError('csv_invalid', `Unknown CSV column(s) ${unknown.join(', ')} (expected: ${columns.join(', ')})`);
  return records;
}
