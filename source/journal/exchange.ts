import fs from 'node:fs';
import path from 'node:path';
import type {Operation} from '../core/journal.js';
import {safeJson} from '../core/sanitize.js';
import type {Catalog} from '../db/catalog.js';
import {insideRoot} from './disk.js';
import type {ReplayContext, Replayed} from './kind.js';
import {describe, invalidOperation, kindOf} from './kinds/index.js';
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

/** Translates one exported operation to this library (by its kind), or says why it cannot be. */
function translate(op: Operation, catalog: Catalog, root: string, claimed: Set<string>): Replayed {
	const kind = kindOf(op);
	const problem = kind.pathProblem(op);
	if (problem) {
		return {refused: problem};
	}

	const here: ReplayContext = {
		catalog,
		outside(...paths) {
			for (const relativePath of paths) {
				try {
					insideRoot(root, relativePath);
				} catch (error) {
					return {refused: (error as Error).message};
				}
			}

			return undefined;
		},
		claim(preferred, sha256, what, build, shared = false) {
			const found = matchFile(catalog, preferred, sha256, shared ? new Set() : claimed);
			if (!found) {
				return {unmatched: `no file here has the content of ${what}`};
			}

			if (!shared) {
				claimed.add(found);
			}

			return build(found);
		},
	};
	return kind.replay(op, here);
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
