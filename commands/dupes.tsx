import type {CommandContext} from '../source/command.js';
import {loadConfig} from '../source/config.js';
import type {Catalog} from '../source/db/catalog.js';
import {middleEllipsis, safeJson, sanitize} from '../source/core/sanitize.js';
import {type KindFilter, type Sensitivity, sensitivities} from '../source/dupes/find.js';
import {type ClusterListing, findClusterById, findDuplicatesIn, listClusters} from '../source/dupes/in-catalog.js';
import {writeClustersJson} from '../source/dupes/kept-json.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {formatBytes} from '../source/core/format.js';
import {dupeSearchProgress} from '../source/ui/progress-lines.js';

export {description, usage, examples, flags} from './dupes.spec.js';


function printClusters({clusters: count, reclaimableBytes: total, first}: ClusterListing, kind: KindFilter, columns: number, stdout: NodeJS.WriteStream): void {
	const plural = count === 1 ? '' : 's';
	const lines = [
		kind === 'similar'
			? count === 0
				? 'No similar shots found.'
				: `${count} group${plural} of similar shots: different photos of one moment, shown for choosing, not as duplicates.`
			: count === 0
				? 'No duplicates found.'
				: `${count} duplicate cluster${plural}; resolving them frees ${formatBytes(total)}.`,
	];
	const width = Math.max(30, columns - 40);
	for (const cluster of first) {
		lines.push('', `[${cluster.kind}] ${cluster.id} · ${cluster.members.length} files · frees ${formatBytes(cluster.reclaimableBytes)}${cluster.kind === 'near' ? ` · distance ${cluster.distance}` : ''}`);
		for (const member of cluster.members) {
			const size = member.width ? `${member.width}x${member.height}` : '';
			const mark = (member.keeper ? (cluster.kind === 'similar' ? 'best' : 'keep') : member.match).padEnd(7);
			lines.push(`  ${mark} ${middleEllipsis(sanitize(member.path), width)}  ${size} ${member.format} ${formatBytes(member.bytes)}`);
			if (member.reasons.length > 0) {
				lines.push(`          ${sanitize(member.reasons.slice(0, 3).join('; '))}`);
			}

			for (const companion of member.companions) {
				lines.push(`          + ${middleEllipsis(sanitize(companion), width)}`);
			}
		}
	}

	if (count > first.length) {
		lines.push('', `… and ${count - first.length} more clusters (--limit N, or --json for all).`);
	}

	stdout.write(lines.join('\n') + '\n');
}

/** `curate dupes`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const kind = String(options.kind) as KindFilter;
	const sensitivity = String(options.sensitivity) as Sensitivity;

	const distance = options.distance as number | undefined;
	if (distance !== undefined && (!Number.isInteger(distance) || distance < 0 || distance > 32)) {
		throw new UserError('--distance must be a whole number from 0 to 32');
	}

	const limit = options.limit as number;
	if (!Number.isInteger(limit) || limit < 0) {
		throw new UserError('--limit must be a whole number, 0 or more');
	}

	const apply = options.apply as 'keepers' | undefined;
	if (apply && kind === 'similar') {
		throw new UserError('--apply keepers never trashes similar shots: they are different photos (use --kind exact, near or all)');
	}

	const where = {library: options.library as string | undefined, cwd};
	const config = loadConfig(findLibrary(where));
	const notDuplicates = options.notDuplicates as string | undefined;
	// Reads only what each stage needs from the catalog: a million photos' fingerprints do not fit in memory (issue 15).
	// A search runs when none is kept since the library changed (minutes at a million photos): it says how far it is.
	const searchProgress = dupeSearchProgress(stderr);
	const hooks = {onProgress: searchProgress.update};
	const search = (db: Catalog, searchKind: KindFilter) => {
		try {
			return findDuplicatesIn(db, {kind: searchKind, sensitivity, distance, keeper: config.keeper}, hooks);
		} finally {
			searchProgress.finish();
		}
	};
	// The journal (and through it exiftool) and the progress view (Ink) are loaded only by the branches that change
	// something: listing clusters, the common case, needs neither (issue 14).
	if (notDuplicates) {
		const [{withJournal}, {notDuplicatesOperation}] = await Promise.all([import('../source/journal/session.js'), import('../source/journal/plans.js')]);
		return withJournal({...where, stderr}, async (journal, db) => {
			// Looked up by its id: read from a kept search alone, and `similar` searched only when `all` does not hold it.
			const cluster = findClusterById(db, (['all', 'similar'] as const).map(searchKind => ({kind: searchKind, sensitivity, distance, keeper: config.keeper})), notDuplicates, hooks);
			searchProgress.finish();
			if (!cluster) {
				throw new UserError(`no current cluster has id ${notDuplicates} (see curate dupes)`);
			}

			const op = notDuplicatesOperation(db, cluster.members.map(member => member.sha256), cluster.id);
			const result = op ? await journal.apply({command: `dupes --not-duplicates ${cluster.id}`, label: `not duplicates: cluster ${cluster.id}`, operations: [op]}) : undefined;
			const pairs = op?.kind === 'mark-not-duplicate' ? op.pairs.length : 0;
			stdout.write(options.json ? safeJson({cluster: cluster.id, pairs, batch: result?.batch ?? null}) + '\n' : `Cluster ${cluster.id} (${cluster.members.length} files) is marked as not duplicates${result ? ` (batch ${result.batch}; curate undo takes it back)` : ''}; it will not come back after rescans, moves or renames.\n`);
			return 0;
		});
	}

	if (apply) {
		const [{planKeeperTrash}, {runBatchCommand}] = await Promise.all([import('../source/journal/plans.js'), import('../source/run/batch-command.js')]);
		const plan = async (db: ReturnType<typeof openForRead>) => planKeeperTrash(db, search(db, kind));
		if (options.dryRun) {
			const db = openForRead(findLibrary(where));
			try {
				const planned = await plan(db);
				stdout.write(options.json ? safeJson({batch: null, dryRun: true, trashed: planned.trashed, bytes: planned.bytes}) + '\n' : `Dry run: would move ${planned.trashed.length} files (${formatBytes(planned.bytes)}) from ${planned.clusters} clusters to the trash. Nothing changed.\n${planned.trashed.map(file => `  ${sanitize(file)}\n`).join('')}`);
				return 0;
			} finally {
				db.close();
			}
		}

		return runBatchCommand({...where, name: 'dupes', stdout, stderr, json: Boolean(options.json)}, async (journal, db, {progress}) => {
			const planned = await plan(db);
			if (planned.operations.length === 0) {
				return {json: {batch: null, trashed: [], bytes: 0}, text: () => ['No duplicates to resolve.']};
			}

			const batch = {command: `dupes --apply keepers --kind ${kind}`, label: `trash ${planned.operations.length} duplicates from ${planned.clusters} clusters`, operations: planned.operations};
			const result = await journal.apply(batch, {onProgress: await progress({kind: 'batch', verb: 'Trashing'})});
			return {
				json: {batch: result.batch, trashed: planned.trashed, bytes: planned.bytes},
				text: () => [`Batch ${result.batch}: moved ${planned.trashed.length} duplicates (${formatBytes(planned.bytes)}) to the trash. \`curate undo ${result.batch}\` brings them back.`],
			};
		});
	}

	const db = openForRead(findLibrary(where));
	try {
		// A kept search prints as it was kept, without making objects of 151 MB of JSON at a million photos, and a new
		// one prints each cluster's text as it keeps it, a chunk at a time (issue 15).
		if (options.json) {
			writeClustersJson(db, {kind, sensitivity, distance, keeper: config.keeper}, text => {
				// The line goes before the document starts: the first chunk is written once the search has ended.
				searchProgress.finish();
				stdout.write(text);
			}, hooks);
			searchProgress.finish();
			return 0;
		}

		const listing = listClusters(db, {kind, sensitivity, distance, keeper: config.keeper}, limit, hooks);
		searchProgress.finish();
		printClusters(listing, kind, stdout.columns || 100, stdout);

		return 0;
	} finally {
		db.close();
	}
}
