import fs from 'node:fs';
import path from 'node:path';
import {describe, type Operation} from '../core/journal.js';
import {safeJson} from '../core/sanitize.js';
import type {Catalog} from '../db/catalog.js';
import {tagRowsOf} from '../db/tag-review.js';
import {insideRoot} from './disk.js';
import {invalidOperation, operationPathProblem} from './effects.js';
import {formatProblem, listOf, number, object, oneOf, optional, required, text} from '../core/operation-schema.js';
import {writeFileAtomic} from '../atomic-file.js';
import {rethrowDiskFull} from '../disk-space.js';
import {isDiskFull} from '../errors.js';
import {type Journal, JournalError} from './journal.js';

/** The first line of an exported journal. */
const header = {type: 'curate-journal', version: 1};

/** One exported batch (a line of the JSON Lines file). */
export type ExportedBatch = {
	readonly type: 'batch';
	readonly uid: string;
	readonly id: number;
	readonly createdAt: string;
	readonly command: string;
	readonly label: string;
	readonly state: string;
	readonly operations: ReadonlyArray<{readonly state: string; readonly op: Operation}>;
};

/** The journal as JSON Lines: a header line, then one line per batch, oldest first (only `batch` when given). */
export function exportJournal(journal: Journal, batch?: number): string {
	const lines = [safeJson({...header, exportedAt: new Date().toISOString()})];
	const batches = batch === undefined ? journal.store.allBatches() : [journal.store.batch(batch)].filter(row => row !== undefined);
	if (batch !== undefined && batches.length === 0) {
		throw new JournalError(`no batch ${batch} in the journal (see curate journal)`);
	}

	for (const row of batches) {
		const exported: ExportedBatch = {
			type: 'batch',
			uid: row.replayedFrom ?? row.uid,
			id: row.id,
			createdAt: row.createdAt,
			command: row.command,
			label: row.label,
			state: row.state,
			operations: journal.operations(row.id).map(operation => ({state: operation.state, op: operation.op})),
		};
		lines.push(safeJson(exported));
	}

	return lines.join('\n') + '\n';
}

/**
 * Writes an export to `file` so that a partial or empty file never appears under its name (issue 13, A20): a
 * temporary name in the same folder (short, so it fits whatever the final name's length), fsync, rename, folder sync.
 * A full disk removes the temporary file and says so in the one disk-full sentence.
 */
export function writeExportFile(file: string, text: string): void {
	const bytes = Buffer.from(text, 'utf8');
	try {
		writeFileAtomic(file, fd => fs.writeFileSync(fd, bytes));
	} catch (error) {
		if (!isDiskFull(error) && (error as NodeJS.ErrnoException).code) {
			throw new JournalError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code}`);
		}

		rethrowDiskFull(error, path.dirname(file), bytes.length);
	}
}

/** What replay did (or, with dry run, would do) with one exported operation. */
export type ReplayItem = {
	readonly batch: string;
	readonly operation: string;
	readonly outcome: 'applied' | 'planned' | 'unmatched' | 'refused' | 'skipped';
	readonly reason?: string;
};

/** The result of a replay. */
export type ReplayResult = {readonly batches: number[]; readonly items: ReplayItem[]};

/**
 * Reads an export, validating every line before anything runs (issue 13, A4): the header, each batch's fields and
 * each operation against its kind's schema. The first problem refuses the whole file, with its line and field.
 */
function parseExport(text: string, file: string): ExportedBatch[] {
	const lines = text.split('\n');
	let first: unknown;
	try {
		first = JSON.parse(lines[0] ?? '');
	} catch {}

	if ((first as {type?: unknown})?.type !== header.type) {
		throw new JournalError(`${file} is not a Curate journal export (its first line is not a curate-journal header)`);
	}

	const refuse = (line: number, problem: string) => new JournalError(`${file}, line ${line}: ${problem}; nothing was replayed`);
	const batches: ExportedBatch[] = [];
	for (const [index, line] of lines.entries()) {
		if (index === 0 || line.trim() === '') {
			continue;
		}

		let batch: unknown;
		try {
			batch = JSON.parse(line);
		} catch {
			throw refuse(index + 1, 'not valid JSON');
		}

		const shape = exportedBatchSchema(batch);
		if (shape) {
			throw refuse(index + 1, `not a batch: ${formatProblem(shape)}`);
		}

		for (const [position, {op}] of (batch as ExportedBatch).operations.entries()) {
			const problem = invalidOperation(op);
			if (problem) {
				const kind = (op as {kind?: unknown} | null)?.kind;
				throw refuse(index + 1, `operation ${position + 1}${typeof kind === 'string' ? ` (${kind.slice(0, 40)})` : ''}: ${problem}`);
			}
		}

		batches.push(batch as ExportedBatch);
	}

	return batches;
}

/** The fields of a batch line (its operations are checked one by one against their kinds' schemas). */
const exportedBatchSchema = object({
	type: required(oneOf('batch')),
	uid: required(text(200)),
	id: optional(number(0, Number.MAX_SAFE_INTEGER, true)),
	createdAt: required(text(100)),
	command: required(text(10_000)),
	label: required(text(10_000)),
	state: required(text(40)),
	operations: required(listOf(object({state: required(text(40)), op: required(value => (value === null ? {field: '', problem: 'is missing (null)'} : undefined))}), 'operations')),
});

/**
 * Finds this library's file for an exported operation by content: the same path when it holds the same SHA-256,
 * else any present file with that SHA-256 not already used in this batch.
 */
function matchFile(catalog: Catalog, preferred: string, sha256: string, claimed: Set<string>): string | undefined {
	const same = catalog.fileByPath(preferred);
	if (same?.status === 'present' && same.sha256 === sha256 && !claimed.has(preferred)) {
		return preferred;
	}

	return catalog.filesBySha(sha256).find(file => !claimed.has(file.path))?.path;
}

/** Translates one exported operation to this library, or says why it cannot be. */
function translate(op: Operation, catalog: Catalog, root: string, claimed: Set<string>): Operation | {refused: string} | {unmatched: string} {
	const problem = operationPathProblem(op) ?? ((op.kind === 'copy' || op.kind === 'move-in') && path.isAbsolute(op.source) ? `the source of a ${op.kind} is outside the library` : undefined);
	if (problem) {
		return {refused: problem};
	}

	for (const relativePath of pathsToCheck(op)) {
		try {
			insideRoot(root, relativePath);
		} catch (error) {
			return {refused: (error as Error).message};
		}
	}

	// Files that an operation moves are claimed, so two trashes of identical content take two files; operations that
	// only describe a photo (fields, sidecars) may share one.
	const claim = (found: string | undefined, build: (found: string) => Operation, what: string, exclusive = true) => {
		if (!found) {
			return {unmatched: `no file here has the content of ${what}`};
		}

		if (exclusive) {
			claimed.add(found);
		}

		return build(found);
	};

	switch (op.kind) {
		case 'trash': {
			return claim(matchFile(catalog, op.path, op.sha256, claimed), found => ({...op, path: found}), op.path);
		}

		case 'move': {
			return claim(matchFile(catalog, op.from, op.sha256, claimed), found => ({...op, from: found}), op.from);
		}

		case 'copy': {
			return claim(matchFile(catalog, op.source, op.sha256, claimed), found => ({...op, source: found}), op.source);
		}

		case 'set-fields': {
			return claim(matchFile(catalog, op.path, op.sha256, new Set()), found => ({...op, path: found}), op.path, false);
		}

		case 'write-embedded': {
			return claim(matchFile(catalog, op.path, op.sha256, claimed), found => ({...op, path: found}), op.path);
		}

		case 'write-sidecar': {
			// Matched by the content of the photo it describes (issue 13, A3); the sidecar goes beside that photo here,
			// named as it was there. Nothing is written for a photo this library does not have.
			if (op.photo === undefined || op.photoSha256 === undefined) {
				return {unmatched: `the export does not record the content of the photo ${op.path} describes`};
			}

			const photo = op.photo;
			return claim(matchFile(catalog, photo, op.photoSha256, new Set()), found => {
				const stem = (file: string) => file.slice(0, file.length - path.posix.extname(file).length);
				const sidecar = op.path.startsWith(`${photo}.`) ? `${found}${op.path.slice(photo.length)}` : `${stem(found)}${op.path.slice(stem(photo).length)}`;
				return {...op, path: sidecar, photo: found};
			}, photo, false);
		}

		case 'mark-not-duplicate': {
			// Only pairs of contents this library has: a decision about photos it does not hold is not replayed.
			const known = catalog.distinctPairs();
			const here = (sha: string) => catalog.filesBySha(sha).length > 0;
			const present = op.pairs.filter(([a, b]) => here(a) && here(b));
			const pairs = present.filter(([a, b]) => !known.has(`${a} ${b}`));
			return present.length === 0 ? {unmatched: 'no files here have these contents'} : pairs.length === 0 ? {unmatched: 'already recorded here'} : {...op, pairs};
		}

		case 'set-tags': {
			// Tag rows are per content; undo here must restore this library's rows, not the exporting library's.
			if (catalog.filesBySha(op.sha256).length === 0) {
				return {unmatched: `no file here has the content ${op.sha256.slice(0, 12)}`};
			}

			const rows = tagRowsOf(catalog);
			return {
				...op,
				changes: op.changes.map(change => {
					const here = rows.rows(op.sha256, change.tag).find(row => row.source === change.source);
					return {...change, before: here ? {state: here.state, confidence: here.confidence} : null};
				}),
			};
		}

		case 'purge': {
			return {refused: 'purges are never replayed: deleting is decided on each library'};
		}

		case 'move-in': {
			return {refused: 'the source of a move-in is outside the library'};
		}
	}
}

function pathsToCheck(op: Operation): string[] {
	switch (op.kind) {
		case 'move': {
			return [op.from, op.to];
		}

		case 'copy':
		case 'move-in': {
			return [op.to];
		}

		case 'trash':
		case 'set-fields':
		case 'write-sidecar':
		case 'write-embedded': {
			return [op.path];
		}

		default: {
			return [];
		}
	}
}

/**
 * Replays an exported journal on this library: every batch that was applied there (and not yet replayed here)
 * becomes one batch here, with its operations matched by SHA-256. Operations whose paths leave the root are refused,
 * those without a matching file are reported as unmatched, and neither changes anything.
 */
export async function replayJournal(journal: Journal, catalog: Catalog, file: string, options: {readonly dryRun?: boolean} = {}): Promise<ReplayResult> {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		throw new JournalError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
	}

	const items: ReplayItem[] = [];
	const batches: number[] = [];
	for (const exported of parseExport(text, path.basename(file))) {
		if (exported.state !== 'applied') {
			continue;
		}

		if (journal.store.batchByUid(exported.uid)) {
			items.push({batch: exported.uid, operation: exported.label, outcome: 'skipped', reason: 'this batch was already applied here'});
			continue;
		}

		const claimed = new Set<string>();
		const operations: Operation[] = [];
		for (const {state, op} of exported.operations) {
			if (state !== 'applied') {
				continue;
			}

			const translated = translate(op, catalog, journal.library.root, claimed);
			if ('refused' in translated) {
				items.push({batch: exported.uid, operation: describe(op), outcome: 'refused', reason: translated.refused});
			} else if ('unmatched' in translated) {
				items.push({batch: exported.uid, operation: describe(op), outcome: 'unmatched', reason: translated.unmatched});
			} else {
				operations.push(translated);
				items.push({batch: exported.uid, operation: describe(translated), outcome: options.dryRun ? 'planned' : 'applied'});
			}
		}

		if (operations.length === 0 || options.dryRun) {
			continue;
		}

		try {
			// eslint-disable-next-line no-await-in-loop
			const result = await journal.apply({command: `journal replay ${path.basename(file)}`, label: `replay: ${exported.label}`, operations, replayedFrom: exported.uid});
			batches.push(result.batch);
		} catch (error) {
			if (!(error instanceof JournalError)) {
				throw error;
			}

			// The batch changed nothing here (apply rolls back): say so for each operation it held.
			for (const item of items.filter(candidate => candidate.batch === exported.uid && candidate.outcome === 'applied')) {
				items[items.indexOf(item)] = {...item, outcome: 'refused', reason: error.message};
			}
		}
	}

	return {batches, items};
}
