/** CSV as RFC 4180 writes it (issue 7's tag export and import). Pure. */

/** One field, quoted when it holds a comma, a quote, a line break or outer spaces. */
export function csvField(value: string | number): string {
	const text = String(value);
	return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with its CRLF line end. */
export function csvLine(fields: ReadonlyArray<string | number>): string {
	return `${fields.map(field => csvField(field)).join(',')}\r\n`;
}

/** A parsed record and the line it starts on (for messages). */
export type CsvRecord = {readonly line: number; readonly fields: string[]};

/**
 * Parses CSV text: quoted fields may hold commas, doubled quotes and line breaks; CRLF and LF both end records; a
 * byte-order mark is skipped; blank lines are ignored. Throws an Error naming the line for an unterminated quote.
 */
export function parseCsv(text: string): CsvRecord[] {
	const records: CsvRecord[] = [];
	let fields: string[] = [];
	let field = '';
	let quoted = false;
	let line = 1;
	let start = 1;
	let touched = false;
	let i = text.codePointAt(0) === 0xfe_ff ? 1 : 0;
	const endRecord = () => {
		fields.push(field);
		if (touched || fields.length > 1 || fields[0] !== '') {
			records.push({line: start, fields});
		}

		fields = [];
		field = '';
		touched = false;
	};

	for (; i < text.length; i++) {
		const char = text[i]!;
		if (quoted) {
			if (char === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (char === '"') {
				quoted = false;
			} else {
				if (char === '\n') {
					line++;
				}

				field += char;
			}

			continue;
		}

		if (char === '"' && field === '') {
			quoted = true;
			touched = true;
		} else if (char === ',') {
			fields.push(field);
			field = '';
		} else if (char === '\n' || char === '\r') {
			if (char === '\r' && text[i + 1] === '\n') {
				i++;
			}

			endRecord();
			line++;
			start = line;
		} else {
			field += char;
		}
	}

	if (quoted) {
		throw new Error(`line ${start}: a quoted field is not closed`);
	}

	if (field !== '' || fields.length > 0 || touched) {
		endRecord();
	}

	return records;
}
