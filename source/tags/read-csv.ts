/**
 * Reads CSV with csv-parse (issue 14): the files `curate tags import` reads are often edited by hand, and a
 * hand-written parser had read a malformed quote such as `"ab"c` as `abc` without a word. Every malformed quote is
 * now an error naming its line.
 */
import {CsvError, parse} from 'csv-parse/sync';

/** A parsed record and the line it starts on (for messages). */
export type CsvRecord = {readonly line: number; readonly fields: string[]};

/** What went wrong, said for someone who edited the file by hand. */
const explanations: Record<string, string> = {
	CSV_INVALID_CLOSING_QUOTE: 'text follows a closing quote (inside a quoted field, write a quote as "")',
	INVALID_OPENING_QUOTE: 'a quote inside an unquoted field (quote the whole field and double the quote: "a""b")',
	CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
};

/**
 * Parses CSV text: quoted fields may hold commas, doubled quotes and line breaks; CRLF, LF and CR end records; a
 * byte-order mark is skipped; blank lines are ignored; spaces around a field are dropped. Throws an Error starting
 * `line N:` for a malformed quote.
 */
export function parseCsv(text: string): CsvRecord[] {
	// One line end throughout, so csv-parse counts lines the same in every file (it counted a CRLF inside a quoted
	// field as two lines when LF and CRLF were both allowed).
	const normalised = text.replaceAll(/\r\n?/g, '\n');
	let rows: Array<{record: string[]; info: {lines: number}}>;
	try {
		rows = parse(normalised, {bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true, record_delimiter: '\n'}) as unknown as typeof rows;
	} catch (error) {
		if (error instanceof CsvError) {
			throw new Error(`line ${errorLine(normalised, error)}: ${explanations[error.code] ?? error.message}`, {cause: error});
		}

		throw error;
	}

	// csv-parse counts the line a record ends on; a quoted field may span several.
	return rows.map(({record, info}) => ({line: info.lines - record.reduce((breaks, field) => breaks + field.split('\n').length - 1, 0), fields: record}));
}

/** The line to name: where an unclosed quote's record starts (csv-parse names the last line), else csv-parse's. */
function errorLine(text: string, error: CsvError): number {
	const {lines, bytes_records: parsed} = error as CsvError & {lines: number; bytes_records?: number};
	if (error.code !== 'CSV_QUOTE_NOT_CLOSED' || parsed === undefined) {
		return lines;
	}

	const done = Buffer.from(text).subarray(0, parsed).toString();
	const rest = text.slice(done.length).split('\n');
	const blank = rest.findIndex(line => line.trim() !== '');
	return done.split('\n').length + Math.max(0, blank);
}
