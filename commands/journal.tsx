import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import type {Catalog} from '../source/db/catalog.js';
import {escapeJsonText, safeJson, sanitize} from '../source/core/sanitize.js';
import {exportJournal, replayJournal, writeExportFile} from '../source/journal/exchange.js';
import {Journal} from '../source/journal/journal.js';
import {withJournal} from '../source/journal/session.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {formatBytes} from '../source/core/format.js';
import {usage} from './journal.spec.js';

export {description, usage, examples, flags} from './journal.spec.js';

function list(journal: Journal, limit: number, json: boolean, stdout: NodeJS.WritableStream): void {
	const batches = journal.list(limit);
	if (json) {
		stdout.write(safeJson({batches: batches.map(batch => ({
			id: batch.id, uid: batch.uid, createdAt: batch.createdAt, updatedAt: batch.updatedAt, command: batch.command, label: batch.label,
			state: batch.state, reason: batch.reason, recovery: batch.recovery, replayedFrom: batch.replayedFrom, operations: batch.counts, bytes: batch.bytes,
		}))}) + '\n');
		return;
	}

	if (batches.length === 0) {
		stdout.write('The journal is empty: Curate has not changed this library.\n');
		return;
	}

	for (const batch of batches) {
		const counts = Object.entries(batch.counts).map(([kind, count]) => `${count} ${kind}`).join(', ');
		stdout.write(`${String(batch.id).padStart(4)}  ${batch.createdAt.slice(0, 19).replace('T', ' ')}  ${batch.state.padEnd(11)} ${sanitize(batch.label)}  (${counts || 'no operations'}${batch.bytes ? `, ${formatBytes(batch.bytes)}` : ''})\n`);
		if (batch.reason) {
			stdout.write(`        ${sanitize(batch.reason)}\n`);
		}
	}
}

/** `curate journal`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const [sub, ...args] = input;
	// `journal export [BATCH] [FILE]`: a batch id is all digits (a file named only with digits needs ./ before it).
	const batch = sub === 'export' && args[0] !== undefined && /^\d+$/.test(args[0]) ? Number(args.shift()) : undefined;
	const [file, ...rest] = args;
	const where = {library: options.library as string | undefined, cwd, stderr};
	if (rest.length > 0 || (sub !== undefined && sub !== 'export' && sub !== 'replay')) {
		throw new UserError(`unknown arguments: ${input.join(' ')} (usage: ${usage})`);
	}

	if (sub === 'replay') {
		if (!file) {
			throw new UserError('curate journal replay needs the FILE to replay');
		}

		// A dry run changes nothing, so it reads beside a running command instead of waiting for the lock.
		const replay = async (journal: Journal, catalog: Catalog) => {
			const result = await replayJournal(journal, catalog, path.resolve(cwd, file), {dryRun: Boolean(options.dryRun)});
			if (options.json) {
				stdout.write(safeJson(result) + '\n');
			} else {
				for (const item of result.items) {
					stdout.write(`${item.outcome.padEnd(9)} ${sanitize(item.operation)}${item.reason ? ` (${sanitize(item.reason)})` : ''}\n`);
				}

				const count = (outcome: string) => result.items.filter(item => item.outcome === outcome).length;
				stdout.write(options.dryRun
					? `Dry run: ${count('planned')} operations would be applied; ${count('unmatched')} unmatched, ${count('refused')} refused. Nothing changed.\n`
					: `Replayed ${count('applied')} operations in ${result.batches.length} batch${result.batches.length === 1 ? '' : 'es'}${result.batches.length > 0 ? ` (${result.batches.join(', ')})` : ''}; ${count('unmatched')} unmatched and ${count('refused')} refused operations changed nothing.\n`);
			}

			return 0;
		};

		if (!options.dryRun) {
			return withJournal(where, replay);
		}

		const library = findLibrary(where);
		const catalog = openForRead(library);
		try {
			return await replay(Journal.read(library, catalog), catalog);
		} finally {
			catalog.close();
		}
	}

	const library = findLibrary(where);
	const catalog = openForRead(library);
	try {
		const journal = Journal.read(library, catalog);
		if (sub === 'export') {
			const text = exportJournal(journal, batch);
			if (file) {
				writeExportFile(path.resolve(cwd, file), text);
				stderr.write(`Wrote ${text.split('\n').length - 2} batches to ${sanitize(file)}.\n`);
			} else {
				// JSON leaves C1 controls and bidi characters raw: escape them (same value) where a terminal would act on them.
				stdout.write(stdout.isTTY ? escapeJsonText(text) : text);
			}

			return 0;
		}

		list(journal, Math.max(1, Number(options.limit) || 20), Boolean(options.json), stdout);
		return 0;
	} finally {
		catalog.close();
	}
}
