import type {FaceStore} from '../db/faces.js';
import {UserError} from '../errors.js';
import {minLabelledFaces, sameFaceThreshold, type Suggestion, suggestNames} from './cluster.js';
import {faceModelId} from './model.js';

/** A named person: faces a person named, in how many photos. */
export type Person = {readonly name: string; readonly faces: number; readonly photos: number};

/** An unnamed group of faces. */
export type FaceGroup = {readonly cluster: number; readonly faces: readonly number[]; readonly example: string | null};

/** What `curate people` lists. */
export type PeopleListing = {
	readonly model: string;
	readonly threshold: number;
	readonly minLabelledFaces: number;
	readonly faces: number;
	readonly people: readonly Person[];
	/** Groups of unnamed faces, largest first. */
	readonly groups: readonly FaceGroup[];
	readonly suggestions: ReadonlyArray<Suggestion & {readonly path: string | null}>;
};

/** `curate people`'s listing (issue 19): read-only. */
export function listPeople(store: FaceStore, model = faceModelId): PeopleListing {
	const rows = store.faces(model);
	const byId = new Map(rows.map(row => [row.id, row]));
	const people = new Map<string, {faces: number; photos: Set<string>}>();
	const groups = new Map<number, number[]>();
	for (const row of rows) {
		if (row.person !== null) {
			const entry = people.get(row.person) ?? {faces: 0, photos: new Set<string>()};
			entry.faces++;
			entry.photos.add(row.sha256);
			people.set(row.person, entry);
		} else if (row.cluster !== null) {
			groups.set(row.cluster, [...(groups.get(row.cluster) ?? []), row.id]);
		}
	}

	return {
		model,
		threshold: sameFaceThreshold,
		minLabelledFaces,
		faces: rows.length,
		people: [...people].map(([name, entry]) => ({name, faces: entry.faces, photos: entry.photos.size})).sort((a, b) => b.faces - a.faces || a.name.localeCompare(b.name)),
		groups: [...groups]
			.map(([cluster, faces]) => ({cluster, faces, example: byId.get(faces[0]!)?.path ?? null}))
			.sort((a, b) => b.faces.length - a.faces.length || a.cluster - b.cluster),
		suggestions: suggestNames(store.vectors(model), undefined, store.rejectionKeys()).map(suggestion => ({...suggestion, path: byId.get(suggestion.face)?.path ?? null})),
	};
}

/** Checks a person's name as typed: one line of printable text. */
export function checkName(name: string): string {
	const trimmed = name.trim();
	// eslint-disable-next-line no-control-regex
	if (trimmed.length === 0 || trimmed.length > 100 || /[\u0000-\u001F\u007F-\u009F]/.test(trimmed)) {
		throw new UserError('a name is 1 to 100 printable characters on one line');
	}

	return trimmed;
}

/**
 * The faces a `curate people name` target means: a group (`cN`: its faces no one has named yet) or one face (`fN`,
 * renamed if it had a name). Naming them is the person's own decision, made through `applyFaceDecisions`;
 * suggestions are applied only that way.
 */
export function namedTarget(store: FaceStore, target: string): number[] {
	const match = /^([cf])(\d+)$/i.exec(target.trim());
	if (!match) {
		throw new UserError(`"${target}" is not a group (c3) or a face (f120): curate people lists them`);
	}

	const id = Number(match[2]);
	if (match[1]!.toLowerCase() === 'c') {
		const ids = store.unnamedInCluster(id);
		if (ids.length === 0) {
			throw new UserError(`no unnamed faces in group c${id}: curate people lists the groups`);
		}

		return ids;
	}

	if (!store.face(id)) {
		throw new UserError(`no face f${id}: curate people lists faces by group`);
	}

	return [id];
}
