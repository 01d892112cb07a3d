/**
 * ReviewActions on a real library, through the operation journal (issue 4): each decision is one journal batch, so
 * files are hashed before and after every move, removals go to `.curate/trash/<batch>/`, and `u` is a journal undo.
 */
import type {FieldValues, Operation} from '../core/journal.js';
import {loadConfig} from '../config.js';
import type {StoredFile} from '../db/catalog.js';
import {rankFiles} from '../dupes/rank.js';
import type {Journal} from '../journal/journal.js';
import {planMetadataWrite} from '../journal/metadata.js';
import {loadJournalSettings} from '../journal/settings.js';
import {formatBytes} from '../core/format.js';
import type {DecisionResult, ReviewActions, ReviewCluster} from './types.js';

/** A catalogued file as the journal needs it, or a clear refusal when the catalog no longer knows it. */
function present(journal: Journal, relativePath: string): StoredFile & {sha256: string} {
	const file = journal.catalog.fileByPath(relativePath);
	if (!file || file.status !== 'present' || !file.sha256) {
		throw new Error(`${relativePath} is no longer in the catalog as it was; run curate scan, then review again`);
	}

	return file as StoredFile & {sha256: string};
}

/** Trash operations for every member except the keeper, companions (Live Photo movie, RAW) included. */
function trashOthers(journal: Journal, cluster: ReviewCluster, keeperPath: string): Operation[] {
	if (!cluster.members.some(member => member.path === keeperPath)) {
		throw new Error(`${keeperPath} is not a member of cluster ${cluster.id}`);
	}

	return cluster.members
		.filter(member => member.path !== keeperPath)
		.flatMap(member => [member.path, ...member.companions])
		.map(relativePath => {
			const file = present(journal, relativePath);
			return {kind: 'trash', path: file.path, sha256: file.sha256, size: file.size} as const;
		});
}

/** What merge copies into the keeper: the fields before and after, and a note per field the others disagreed on. */
export type MergePlan = {readonly before: FieldValues; readonly after: FieldValues; readonly disputes: readonly string[]};

const hasDate = (file: StoredFile) => file.takenAt !== null && file.takenAtSource !== 'mtime';
// A re-encoded copy may round a position or drop a date's sub-seconds or offset; those are not disagreements.
const sameDate = (a: StoredFile, b: StoredFile) => a.takenAt!.slice(0, 19) === b.takenAt!.slice(0, 19);
const samePlace = (a: StoredFile, b: StoredFile) => Math.abs(a.gps!.lat - b.gps!.lat) <= 1e-4 && Math.abs(a.gps!.lon - b.gps!.lon) <= 1e-4;

/**
 * What the others have and the keeper lacks, among the fields the journal's metadata writes carry: keywords (union),
 * rating (the highest), title and description (the first found), GPS and capture date (a metadata date, not a file
 * time). `others` come best first (`rankFiles`): when they disagree on GPS or the capture date, the best-ranked one
 * that has it wins and `disputes` says so.
 */
export function mergedFields(keeper: StoredFile, others: readonly StoredFile[]): MergePlan | undefined {
	const keywords = [...keeper.keywords];
	for (const keyword of others.flatMap(file => file.keywords)) {
		if (!keywords.includes(keyword)) {
			keywords.push(keyword);
		}
	}

	const after: Record<string, unknown> = {};
	const before: Record<string, unknown> = {};
	const disputes: string[] = [];
	if (keywords.length > keeper.keywords.length) {
		after.keywords = keywords;
		before.keywords = keeper.keywords;
	}

	const rating = Math.max(...others.map(file => file.rating ?? 0));
	if (!keeper.rating && rating > 0) {
		after.rating = rating;
		before.rating = keeper.rating;
	}

	for (const field of ['title', 'description'] as const) {
		const value = others.map(file => file[field]).find(Boolean);
		if (!keeper[field] && value) {
			after[field] = value;
			before[field] = keeper[field];
		}
	}

	const place = others.find(file => file.gps);
	if (!keeper.gps && place) {
		after.gps = place.gps;
		before.gps = keeper.gps;
		if (others.some(file => file.gps && !samePlace(file, place))) {
			disputes.push(`GPS from ${place.path} (the others differ)`);
		}
	}

	const dated = others.find(file => hasDate(file));
	if (!hasDate(keeper) && dated) {
		after.takenAt = dated.takenAt;
		after.takenAtSource = dated.takenAtSource;
		before.takenAt = keeper.takenAt;
		before.takenAtSource = keeper.takenAtSource;
		if (others.some(file => hasDate(file) && !sameDate(file, dated))) {
			disputes.push(`capture date from ${dated.path} (the others differ)`);
		}
	}

	return Object.keys(after).length > 0 ? {before: before as FieldValues, after: after as FieldValues, disputes} : undefined;
}

/** The merged fields as the user calls them. */
function fieldNames(after: FieldValues): string {
	const names = {keywords: 'keywords', rating: 'rating', title: 'title', description: 'description', gps: 'GPS', takenAt: 'capture date'} as Record<string, string>;
	return Object.keys(after)
		.map(key => names[key])
		.filter(Boolean)
		.join(', ');
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** How merge writes: into an XMP sidecar (default) or, with `writeEmbedded`, into the keeper itself. */
export type ReviewActionOptions = {readonly writeEmbedded?: boolean};

/** The review screen's actions on the journal's library. */
export function createReviewActions(journal: Journal, options: ReviewActionOptions = {}): ReviewActions {
	const config = loadConfig(journal.library);
	const trashBatch = async (cluster: ReviewCluster, keeperPath: string, verb: 'keep' | 'merge'): Promise<DecisionResult> => {
		const trash = trashOthers(journal, cluster, keeperPath);
		const operations: Operation[] = [];
		let merged = '';
		let disputes = '';
		if (verb === 'merge') {
			const keeper = present(journal, keeperPath);
			const others = rankFiles(
				cluster.members.filter(member => member.path !== keeperPath).map(member => present(journal, member.path)),
				config.keeper,
			);
			const fields = mergedFields(keeper, others);
			if (fields) {
				// By default the keeper's XMP sidecar (the one it has, else a new one): its own bytes stay as they are, and
				// photo tools read the sidecar.
				const {keywords, ...set} = fields.after;
				const target = {naming: loadJournalSettings(journal.library).sidecar, embedded: options.writeEmbedded};
				// Only the keywords the keeper lacks are added: its own stay in its sidecar as they are (issue 13).
				const added = keywords?.filter(keyword => !keeper.keywords.includes(keyword)) ?? [];
				operations.push(...(await planMetadataWrite(journal, [{path: keeper.path, set, addKeywords: added}], target)));
				merged = `${fieldNames(fields.after)} merged into ${keeper.path}${options.writeEmbedded ? '' : "'s sidecar"}; `;
				disputes = fields.disputes.length > 0 ? ` (${fields.disputes.join('; ')})` : '';
			} else {
				merged = 'nothing to merge; ';
			}
		}

		operations.push(...trash);
		const label = `${verb} ${keeperPath}${disputes}, trash ${plural(trash.length, 'file')} (cluster ${cluster.id})`;
		const result = await journal.apply({command: `review: ${verb}`, label, operations});
		const freed = trash.reduce((sum, op) => sum + (op.kind === 'trash' ? op.size : 0), 0);
		return {batchId: String(result.batch), freedBytes: freed, summary: `${merged}${plural(trash.length, 'file')} (${formatBytes(freed)}) moved to the trash${disputes} · batch ${result.batch}`};
	};

	return {
		keep: async (cluster, keeperPath) => trashBatch(cluster, keeperPath, 'keep'),
		merge: async (cluster, keeperPath) => trashBatch(cluster, keeperPath, 'merge'),
		async notDuplicates(cluster) {
			const shas = [...new Set(cluster.members.map(member => member.sha256))].sort();
			const known = journal.catalog.distinctPairs();
			const pairs: Array<[string, string]> = shas.length === 1 ? [[shas[0]!, shas[0]!]] : [];
			for (let i = 0; i < shas.length; i++) {
				for (let j = i + 1; j < shas.length; j++) {
					pairs.push([shas[i]!, shas[j]!]);
				}
			}

			const fresh = pairs.filter(([a, b]) => !known.has(`${a} ${b}`));
			if (fresh.length === 0) {
				throw new Error('these photos are already marked as not duplicates');
			}

			const result = await journal.apply({command: 'review: not duplicates', label: `cluster ${cluster.id} is not duplicates`, operations: [{kind: 'mark-not-duplicate', cluster: cluster.id, pairs: fresh}]});
			return {batchId: String(result.batch), freedBytes: 0, summary: `marked as not duplicates · batch ${result.batch}`};
		},
		async undo(batchId) {
			const result = await journal.undo(Number(batchId));
			const back = result.operations.filter(op => op.kind === 'trash').length;
			return {summary: `undid batch ${result.batch}${back > 0 ? `: ${plural(back, 'file')} back from the trash` : ''}`};
		},
	};
}
