/** CSV as RFC 4180 writes it (issue 7's tag export). Pure. Reading is csv-parse's job: `source/tags/read-csv.ts`. */

/** One field, quoted when it holds a comma, a quote, a line break or outer spaces. */
export function csvField(value: string | number): string {
	const text = String(value);
	return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with its CRLF line end. */
export function csvLine(fields: ReadonlyArray<string | number>): string {
	return `${fields.map(field => csvField(field)).join(',')}\r\n`;
}
