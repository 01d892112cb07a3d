import fs from 'node:fs';
import path from 'node:path';
import type {PhotoEvent} from '../core/events.js';
import {type DateSource, type LayoutFile, planLayout} from '../core/layout-plan.js';
import type {Pattern, UndatedPolicy} from '../core/pattern.js';
import type {CompanionRole} from '../core/companions.js';
import type {FolderRule} from '../core/rules.js';
import type {TaxonomyTag} from '../core/taxonomy.js';
import type {Library} from '../library.js';
import type {NewSource} from './sources.js';

/** How files are placed: the pattern, the policy for undated files and the event gap. */
export type PlacementOptions = {
	readonly pattern: Pattern;
	readonly undated?: UndatedPolicy;
	readonly gapMs?: number;
	/** `.curate/rules.txt` (issue 17): the first matching rule's pattern wins over `pattern`. */
	readonly rules?: readonly FolderRule[];
	/** The taxonomy, for tag aliases in rules. */
	readonly taxonomy?: readonly TaxonomyTag[];
};

/** Where a new source was taken and its capture time's derived offset (issue 17), for events, tokens and rules. */
export type SourceFacts = (file: NewSource) => Pick<LayoutFile, 'place' | 'offset'>;

/** One planned copy (or move) into the library. */
export type Transfer = {
	readonly source: NewSource;
	/** Library-relative target. */
	readonly target: string;
	readonly role: CompanionRole;
	readonly dateSource: DateSource;
	readonly event?: string;
	/** The rule of `.curate/rules.txt` that chose its folder (issue 17), when one did. */
	readonly rule?: {readonly line: number; readonly text: string};
};

/** Whether anything (a file, a folder, a dangling link) is at a path: none of it may be overwritten. */
export function occupied(file: string): boolean {
	try {
		fs.lstatSync(file);
		return true;
	} catch {
		return false;
	}
}

/** Turns a source scan into a layout item; `facts` adds where it was taken (issue 17). */
function layoutFile(file: NewSource, facts?: SourceFacts): LayoutFile {
	const record = file.record;
	return {
		...facts?.(file),
		key: file.absolute,
		dir: path.dirname(file.absolute),
		name: path.basename(file.absolute),
		kind: file.kind === 'sidecar' ? 'sidecar' : file.kind,
		takenAt: record?.takenAt ?? null,
		takenAtSource: record?.takenAtSource ?? null,
		mtimeMs: file.mtimeMs,
		make: record?.make ?? null,
		model: record?.model ?? null,
		livePhotoId: record?.livePhotoId ?? null,
		burstId: record?.burstId ?? null,
		labels: record?.keywords ?? [],
	};
}

/**
 * Plans where each new source goes in the library. Sidecars whose photo is not being imported (already in the
 * library, or absent) are left out and returned as orphans: a sidecar alone is not a photo.
 */
export function planImport(library: Library, files: readonly NewSource[], options: PlacementOptions & {readonly facts?: SourceFacts}): {transfers: Transfer[]; orphans: NewSource[]; events: PhotoEvent[]} {
	const byKey = new Map(files.map(file => [file.absolute, file]));
	const plan = planLayout(files.map(file => layoutFile(file, options.facts)), {
		pattern: options.pattern,
		undated: options.undated,
		gapMs: options.gapMs,
		...(options.rules ? {rules: options.rules} : {}),
		...(options.taxonomy ? {taxonomy: options.taxonomy} : {}),
		isTaken: target => occupied(path.join(library.root, ...target.split('/'))),
	});
	return {
		transfers: plan.files.map(planned => ({
			source: byKey.get(planned.key)!,
			target: planned.target,
			role: planned.role,
			dateSource: planned.dateSource,
			...(planned.event ? {event: planned.event} : {}),
			...(planned.rule ? {rule: planned.rule} : {}),
		})),
		orphans: plan.orphans.map(key => byKey.get(key)!),
		events: plan.events,
	};
}
