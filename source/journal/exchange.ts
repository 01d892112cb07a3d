import fs from 'node:fs';
import path from 'node:path';
import {describe, type Operation} from '../core/journal.js';
import {safeJson} from '../core/sanitize.js';
import type {Catalog} from '../db/catalog.js';
import {tagRowsOf} from '../db/tag-review.js';
import {insideRoot} from './disk.js';
import {operationPathProblem} from './effects.js';
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

/** The journal as JSON Lines: a header line, then one line per batch, oldest first. */
export function exportJournal(journal: Journal): string {
	const lines = [safeJson({...header, exportedAt: new Date().toISOString()})];
	for (const batch of journal.store.allBatches()) {
		const exported: ExportedBatch = {
			type: 'batch',
			uid: batch.replayedFrom ?? batch.uid,
			id: batch.id,
			createdAt: batch.createdAt,
			command: batch.command,
			label: batch.label,
			state: batch.state,
			operations: journal.operations(batch.id).map(row => ({state: row.state, op: row.op})),
		};
		lines.push(safeJson(exported));
	}

	return lines.join('\n') + '\n';
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

function parseExport(text: string): ExportedBatch[] {
	const lines = text.split('\n').filter(line => line.trim() !== '');
	let first: unknown;
	try {
		first = JSON.parse(lines[0] ?? '');
	} catch {}

	if ((first as {type?: unknown})?.type !== header.type) {
		throw new JournalError('not a Curate journal export (its first line is not a curate-journal header)');
	}

	return lines.slice(1).map((line, index) => {
		try {
			const batch = JSON.parse(line) as ExportedBatch;
			if (batch.type !== 'batch' || !Array.isArray(batch.operations) || typeof batch.uid !== 'string') {
				throw new Error('not a batch');
			}

			return batch;
		} catch (error) {
			throw new JournalError(`line ${index + 2} of the journal is not a batch: ${(error as Error).message}`);
		}
	});
}

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

	const claim = (found: string | undefined, build: (found: string) => Operation, what: string) => {
		if (!found) {
			return {unmatched: `no file here has the content of ${what}`};
		}

		claimed.add(found);
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

		case 'set-fields':
		case 'write-embedded': {
			const sha = op.sha256;
			return claim(matchFile(catalog, op.path, sha, claimed), found => ({...op, path: found}), op.path);
		}

		case 'write-sidecar': {
			return op;
		}

		case 'mark-not-duplicate': {
			const known = catalog.distinctPairs();
			const pairs = op.pairs.filter(([a, b]) => !known.has(`${a} ${b}`));
			return pairs.length === 0 ? {unmatched: 'already recorded here'} : {...op, pairs};
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
	for (const exported of parseExport(text)) {
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
