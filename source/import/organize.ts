import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {isSidecarName} from '../core/companions.js';
import type {PhotoEvent} from '../core/events.js';
import type {Operation} from '../core/journal.js';
import {type LayoutFile, planLayout} from '../core/layout-plan.js';
import {splitName} from '../core/pattern.js';
import type {Catalog} from '../db/catalog.js';
import type {Journal} from '../journal/journal.js';
import type {Library} from '../library.js';
import {defaultIgnores, walkLibrary} from '../scan/walk.js';
import {placementFacts} from '../places/placement-facts.js';
import {occupied, type PlacementOptions} from './plan-import.js';

/** Organize options: placement, and where broken files go when the user asks (else they stay where they are). */
export type OrganizeOptions = PlacementOptions & {
	/** Library-relative folder for broken (unreadable or damaged) files; undefined leaves them in place. */
	readonly brokenFolder?: string;
};

/** One planned move inside the library. */
export type OrganizeMove = {
	readonly from: string;
	readonly to: string;
	readonly sha256: string;
	readonly size: number;
	readonly role: string;
	readonly event?: string;
	/** The rule of `.curate/rules.txt` that chose the folder (issue 17). */
	readonly rule?: {readonly line: number; readonly text: string};
};

/** An organize plan. */
export type OrganizePlan = {
	readonly moves: OrganizeMove[];
	/** Files already where the pattern puts them. */
	readonly unchanged: number;
	/**
	 * Catalogued files left where they are: broken ones (unreadable or damaged when scanned: their dates cannot be
	 * trusted, and a dated event folder would hide them among good photos), and ones without a content hash.
	 */
	readonly skipped: Array<{path: string; reason: string}>;
	readonly events: PhotoEvent[];
};

/**
 * Plans moving the whole library into a pattern (issue 8): every present catalogued file, with the XMP sidecars
 * found beside them on disk, placed as import would place it. Files already in place stay; nothing is overwritten.
 */
export async function planOrganize(library: Library, catalog: Catalog, options: OrganizeOptions): Promise<OrganizePlan> {
	const files = catalog.allPresent();
	// Where each photo was taken, its derived offset and its confirmed tags (issue 17): events, tokens and rules.
	const facts = placementFacts(catalog);
	const skipped: OrganizePlan['skipped'] = [];
	const items: Array<LayoutFile & {sha256: string; size: number}> = [];
	const broken: Array<{path: string; sha256: string; size: number}> = [];
	for (const file of files) {
		if (!file.sha256) {
			skipped.push({path: file.path, reason: 'no content hash in the catalog (unreadable when scanned): rescan first'});
			continue;
		}

		if (file.error) {
			if (options.brokenFolder === undefined) {
				skipped.push({path: file.path, reason: `broken (${file.error}): left where it is`});
			} else {
				broken.push({path: file.path, sha256: file.sha256, size: file.size});
			}

			continue;
		}

		items.push({
			key: file.path,
			dir: path.posix.dirname(file.path),
			name: path.posix.basename(file.path),
			kind: file.kind === 'sidecar' ? 'sidecar' : file.kind,
			takenAt: file.takenAt,
			takenAtSource: file.takenAtSource,
			mtimeMs: file.mtimeMs,
			make: file.make,
			model: file.model,
			livePhotoId: file.livePhotoId,
			burstId: file.burstId,
			labels: file.keywords,
			current: file.path,
			sha256: file.sha256,
			size: file.size,
			...facts.of(file.path, file.sha256),
		});
	}

	// Sidecars are not catalogued (they are not photos), so they are found on disk and hashed here.
	const walk = await walkLibrary(library.root, {ignore: defaultIgnores, allFiles: true});
	for (const file of walk.files.filter(entry => isSidecarName(entry.path))) {
		const bytes = fs.readFileSync(file.absolute);
		items.push({
			key: file.path,
			dir: path.posix.dirname(file.path),
			name: path.posix.basename(file.path),
			kind: 'sidecar',
			takenAt: null,
			takenAtSource: null,
			mtimeMs: file.mtimeMs,
			make: null,
			model: null,
			current: file.path,
			sha256: createHash('sha256').update(bytes).digest('hex'),
			size: bytes.length,
		});
	}

	const byKey = new Map(items.map(item => [item.key, item]));
	const plan = planLayout(items, {
		pattern: options.pattern,
		undated: options.undated,
		gapMs: options.gapMs,
		isTaken: target => occupied(path.join(library.root, ...target.split('/'))),
		...(options.rules ? {rules: options.rules} : {}),
		...(options.taxonomy ? {taxonomy: options.taxonomy} : {}),
	});
	const moves: OrganizeMove[] = plan.files
		.filter(planned => !planned.unchanged)
		.map(planned => {
			const item = byKey.get(planned.key)!;
			return {from: planned.key, to: planned.target, sha256: item.sha256, size: item.size, role: planned.role, ...(planned.event ? {event: planned.event} : {}), ...(planned.rule ? {rule: planned.rule} : {})};
		});
	const brokenMoves = planBrokenFolder(library, broken, options.brokenFolder, new Set(plan.files.map(planned => planned.target.toLowerCase())));
	moves.push(...brokenMoves);
	const unchanged = plan.files.filter(planned => planned.unchanged).length + broken.length - brokenMoves.length;
	return {moves, unchanged, skipped, events: plan.events};
}

/**
 * `--broken-to FOLDER`: broken files gathered in one folder the user named, each keeping its name (a suffix when two
 * share one). Only when asked: by default they stay where they are.
 */
function planBrokenFolder(library: Library, broken: ReadonlyArray<{path: string; sha256: string; size: number}>, folder: string | undefined, planned: Set<string>): OrganizeMove[] {
	if (folder === undefined) {
		return [];
	}

	const moves: OrganizeMove[] = [];
	for (const file of broken) {
		if (path.posix.dirname(file.path) === folder) {
			continue;
		}

		const {stem, ext} = splitName(path.posix.basename(file.path));
		let target = `${folder}/${stem}${ext ? `.${ext}` : ''}`;
		for (let suffix = 1; planned.has(target.toLowerCase()) || occupied(path.join(library.root, ...target.split('/'))); suffix++) {
			target = `${folder}/${stem} (${suffix})${ext ? `.${ext}` : ''}`;
		}

		planned.add(target.toLowerCase());
		moves.push({from: file.path, to: target, sha256: file.sha256, size: file.size, role: 'broken'});
	}

	return moves;
}

/** Runs an organize plan as one journal batch of moves; returns the batch id. */
export async function applyOrganize(journal: Journal, plan: OrganizePlan, command: string): Promise<number> {
	const operations: Operation[] = plan.moves.map(move => ({kind: 'move', from: move.from, to: move.to, sha256: move.sha256, size: move.size}));
	const result = await journal.apply({command, label: `organize: move ${operations.length} ${operations.length === 1 ? 'file' : 'files'}`, operations});
	return result.batch;
}
