/**
 * Tags as CSV (issue 7): export every (file, tag) with its confidence and state, and import such a file as bulk
 * edits (state changes, tags added) journaled as one batch. Unknown paths and bad lines are reported, not fatal.
 */
import path from 'node:path';
import {csvLine} from '../core/csv.js';
import {sanitize} from '../core/sanitize.js';
import {normaliseTagName} from '../core/tag-keywords.js';
import type {Catalog} from '../db/catalog.js';
import {tagRowsOf, type TagState} from '../db/tag-review.js';
import type {TagDecision} from './decisions.js';
import {parseCsv} from './read-csv.js';

/** The header line of an export. */
export const csvHeader = ['path', 'tag', 'confidence', 'state'] as const;

/**
 * Writes the export through `write` (header first); returns the number of rows. `forTerminal`: paths and tags are
 * sanitised field by field (escape sequences from names shown as visible text, the CSV structure kept); without it the
 * bytes are exactly the catalog's, for a file or a pipe.
 */
export function exportTagsCsv(catalog: Catalog, write: (chunk: string) => void, options: {readonly forTerminal?: boolean} = {}): number {
	const text = options.forTerminal ? sanitize : (value: string) => value;
	write(csvLine(csvHeader));
	let rows = 0;
	let chunk = '';
	for (const row of tagRowsOf(catalog).exportRows()) {
		chunk += csvLine([text(row.path), text(row.tag), Math.round(row.confidence * 1000) / 1000, row.state]);
		rows++;
		// Large libraries: hand over text in pieces rather than one string of every row.
		if (chunk.length > 65_536) {
			write(chunk);
			chunk = '';
		}
	}

	write(chunk);
	return rows;
}

/** A line of an import that was not used, and why. */
export type ImportProblem = {readonly line: number; readonly path?: string; readonly reason: string};

/** What an import file asks for. */
export type ImportPlan = {
	readonly decisions: TagDecision[];
	/** Lines naming a path the catalog has no present file for. */
	readonly unknownPaths: ImportProblem[];
	/** Lines that are not a (path, tag, confidence, state) row. */
	readonly invalid: ImportProblem[];
	readonly lines: number;
};

const states = new Set<string>(['suggested', 'confirmed', 'rejected']);

/**
 * Reads an import: `path,tag[,confidence[,state]]` per line, with or without the export's header (columns are found
 * by name when there is one). A missing state means confirmed: a plain list of (path, tag) adds tags. Paths are
 * library-relative as exported; absolute paths inside the library are accepted too.
 */
export function planTagsImport(catalog: Catalog, root: string, text: string): ImportPlan {
	const records = parseCsv(text);
	const first = records[0]?.fields.map(field => field.trim().toLowerCase()) ?? [];
	const hasHeader = first.includes('path') && first.includes('tag');
	const column = (name: string, fallback: number) => (hasHeader ? first.indexOf(name) : fallback);
	const at = {path: column('path', 0), tag: column('tag', 1), confidence: column('confidence', 2), state: column('state', 3)};
	const decisions: TagDecision[] = [];
	const unknownPaths: ImportProblem[] = [];
	const invalid: ImportProblem[] = [];
	const body = hasHeader ? records.slice(1) : records;
	for (const {line, fields} of body) {
		const get = (index: number) => (index >= 0 ? (fields[index] ?? '').trim() : '');
		let file = get(at.path);
		if (path.isAbsolute(file)) {
			file = path.relative(root, file).split(path.sep).join('/');
		}

		const tag = normaliseTagName(get(at.tag));
		const state = (get(at.state) || 'confirmed').toLowerCase();
		const confidenceText = get(at.confidence);
		const confidence = confidenceText === '' ? undefined : Number(confidenceText);
		if (!file || !tag) {
			invalid.push({line, reason: !file ? 'no path' : `"${get(at.tag)}" is not a tag name`});
			continue;
		}

		if (!states.has(state)) {
			invalid.push({line, path: file, reason: `state "${state}" is not suggested, confirmed or rejected`});
			continue;
		}

		if (confidence !== undefined && !(Number.isFinite(confidence) && confidence >= 0 && confidence <= 1)) {
			invalid.push({line, path: file, reason: `confidence "${confidenceText}" is not a number from 0 to 1`});
			continue;
		}

		const stored = catalog.fileByPath(file);
		if (!stored || stored.status !== 'present' || !stored.sha256) {
			unknownPaths.push({line, path: file, reason: 'not a present, catalogued file'});
			continue;
		}

		decisions.push({sha256: stored.sha256, tag, state: state as TagState, ...(confidence === undefined ? {} : {confidence})});
	}

	return {decisions, unknownPaths, invalid, lines: body.length};
}
