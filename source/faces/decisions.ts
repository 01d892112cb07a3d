/**
 * What a person decides about faces (issue 19), as one journal batch per call: the catalog side is `set-faces`
 * operations (one per content, undone to the row), and every photo whose confirmed people changed gets its XMP
 * sidecar rewritten (`write-sidecar`, byte-exact undo) with its MWG face regions and `Iptc4xmpExt:PersonInImage`.
 * `curate undo` takes the batch back, `curate redo` does it again. `curate people name` and the people review
 * (`curate people review`) both decide through `applyFaceDecisions`.
 *
 * Decisions, applied in order:
 * - `confirm` {faceId, person}: the face is `person` (a rejection of `person` on it is lifted).
 * - `reject` {faceId, person}: the face is not `person`; it is never suggested for `person` again, and loses the
 *   name when it had it.
 * - `name` {faceIds, person}: `confirm` for each face.
 * - `merge` {from, into}: every face named `from` is named `into`, and `from`'s rejections become `into`'s.
 * - `split` {faceId}: the face leaves its person (rejected for them, so never suggested back) and its group (it gets
 *   a group of its own).
 *
 * The read side the review needs is in `review.ts` (`reviewPage`), the listing in `people.ts` (`listPeople`).
 */
import type {Operation} from '../core/journal.js';
import {type FaceState, faceStoreOf, type FaceRecord, type FaceStore} from '../db/faces.js';
import type {Journal} from '../journal/journal.js';
import type {SetFacesOperation} from '../journal/kinds/set-faces.js';
import {UserError, type Library} from '../library.js';
import {checkName} from './people.js';
import {personSidecarWrites} from './person-sidecars.js';

/** One decision about faces (see the module comment for what each does). */
export type FaceDecision =
	| {action: 'confirm'; faceId: number; person: string}
	| {action: 'reject'; faceId: number; person: string}
	| {action: 'name'; faceIds: number[]; person: string}
	| {action: 'merge'; from: string; into: string}
	| {action: 'split'; faceId: number};

/** What `applyFaceDecisions` did. */
export type FaceDecisionResult = {
	/** The journal batch (`curate undo BATCH`), or null when the decisions changed nothing (no batch then). */
	readonly batchId: string | null;
	/** XMP sidecars written (photos whose confirmed people changed, each file holding the content). */
	readonly sidecarsWritten: number;
	/** Faces whose name, group or rejections changed. */
	readonly facesChanged: number;
};

/** Options of `applyFaceDecisions`. */
export type FaceDecisionOptions = {
	/** Stops the planning (sidecar bytes are made first); once the batch starts it runs to its end. */
	readonly signal?: AbortSignal;
	/** The command the batch records (default `people`). */
	readonly command?: string;
};

type Working = {sha256: string; before: FaceState; after: {person: string | null; namedAt: string | null; cluster: number | null; rejected: string[]}};

const sameState = (a: FaceState, b: FaceState) =>
	a.person === b.person && a.namedAt === b.namedAt && a.cluster === b.cluster && a.rejected.length === b.rejected.length && a.rejected.every((name, index) => name === b.rejected[index]);

/** Decisions applied to a working copy of the faces they touch; the catalog is not changed here. */
function plan(store: FaceStore, decisions: readonly FaceDecision[]): Map<number, Working> {
	const working = new Map<number, Working>();
	const now = new Date().toISOString();
	let nextCluster = store.maxCluster();
	const face = (id: number): Working => {
		let entry = working.get(id);
		if (!entry) {
			const state = Number.isSafeInteger(id) ? store.state(id) : undefined;
			if (!state) {
				throw new UserError(`no face f${id}: curate people lists faces by group`);
			}

			const before = {person: state.person, namedAt: state.namedAt, cluster: state.cluster, rejected: [...state.rejected]};
			entry = {sha256: state.sha256, before, after: {...before, rejected: [...before.rejected]}};
			working.set(id, entry);
		}

		return entry;
	};

	const confirm = (id: number, person: string) => {
		const {after} = face(id);
		if (after.person !== person) {
			after.person = person;
			after.namedAt = now;
		}

		after.rejected = after.rejected.filter(name => name !== person);
	};

	const reject = (after: Working['after'], person: string) => {
		if (!after.rejected.includes(person)) {
			after.rejected = [...after.rejected, person].sort();
		}

		if (after.person === person) {
			after.person = null;
			after.namedAt = null;
		}
	};

	for (const decision of decisions) {
		switch (decision.action) {
			case 'confirm': {
				confirm(decision.faceId, checkName(decision.person));
				break;
			}

			case 'name': {
				const person = checkName(decision.person);
				if (decision.faceIds.length === 0) {
					throw new UserError('name: no faces given');
				}

				for (const id of decision.faceIds) {
					confirm(id, person);
				}

				break;
			}

			case 'reject': {
				reject(face(decision.faceId).after, checkName(decision.person));
				break;
			}

			case 'merge': {
				const from = checkName(decision.from);
				const into = checkName(decision.into);
				if (from === into) {
					throw new UserError(`merge: "${from}" into itself`);
				}

				for (const id of [...store.idsOfPerson(from), ...store.rejectedFor(from)]) {
					face(id);
				}

				const named = [...working.values()].filter(entry => entry.after.person === from);
				if (named.length === 0) {
					throw new UserError(`no one is named "${from}": curate people lists the names`);
				}

				for (const entry of named) {
					entry.after.person = into;
					entry.after.namedAt = now;
				}

				for (const entry of working.values()) {
					if (entry.after.rejected.includes(from)) {
						const others = entry.after.rejected.filter(name => name !== from);
						entry.after.rejected = entry.after.person === into || others.includes(into) ? others : [...others, into].sort();
					}
				}

				break;
			}

			case 'split': {
				const {after} = face(decision.faceId);
				if (after.person !== null) {
					reject(after, after.person);
				}

				after.cluster = ++nextCluster;
				break;
			}

			default: {
				throw new UserError(`unknown face decision: ${String((decision as {action?: unknown}).action).slice(0, 40)}`);
			}
		}
	}

	return working;
}

const changedPeople = (entry: Working) => entry.before.person !== entry.after.person;

/** Opens the journal when given a library, or uses the open one (the review holds the library's lock). */
async function withJournal<T>(target: Library | Journal, work: (journal: Journal) => Promise<T>): Promise<T> {
	if ('catalog' in target) {
		return work(target);
	}

	const {openJournal} = await import('../journal/journal.js');
	const {journal, close} = await openJournal(target);
	try {
		return await work(journal);
	} finally {
		close();
	}
}

function stopIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) {
		throw new UserError('stopped before anything was changed');
	}
}

/**
 * Applies face decisions as one journal batch: the faces' catalog rows and the sidecars of every photo whose
 * confirmed people changed. `target` is the library (opened and closed here, under its lock) or a journal already
 * open on it (the review). Throws a `UserError` for a face or name that does not exist, changing nothing.
 */
export async function applyFaceDecisions(target: Library | Journal, decisions: readonly FaceDecision[], options: FaceDecisionOptions = {}): Promise<FaceDecisionResult> {
	return withJournal(target, async journal => {
		const store = faceStoreOf(journal.catalog);
		const working = plan(store, decisions);
		const changed = [...working].filter(([, entry]) => !sameState(entry.before, entry.after));
		if (changed.length === 0) {
			return {batchId: null, sidecarsWritten: 0, facesChanged: 0};
		}

		const byContent = new Map<string, Array<SetFacesOperation['faces'][number]>>();
		for (const [id, entry] of changed) {
			byContent.set(entry.sha256, [...(byContent.get(entry.sha256) ?? []), {id, before: entry.before, after: entry.after}]);
		}

		// Photos whose confirmed people changed: their sidecars say who is in them, as the catalog will after the batch.
		const peopleChanged = new Map<string, Map<number, string | null>>();
		for (const [id, entry] of changed) {
			if (changedPeople(entry)) {
				const overrides = peopleChanged.get(entry.sha256) ?? new Map<number, string | null>();
				overrides.set(id, entry.after.person);
				peopleChanged.set(entry.sha256, overrides);
			}
		}

		stopIfAborted(options.signal);
		const writes = await personSidecarWrites(journal, peopleChanged, options.signal);
		stopIfAborted(options.signal);
		const catalogOps: Operation[] = [...byContent].map(([sha256, faces]) => ({kind: 'set-faces', sha256, faces}));
		const label = describeDecisions(decisions, changed.length);
		const result = await journal.apply({command: options.command ?? 'people', label, operations: [...writes, ...catalogOps]});
		return {batchId: String(result.batch), sidecarsWritten: writes.length, facesChanged: changed.length};
	});
}

/** The batch's label, as `curate journal` lists it. */
function describeDecisions(decisions: readonly FaceDecision[], faces: number): string {
	const actions = [...new Set(decisions.map(decision => decision.action))];
	const names = [...new Set(decisions.flatMap(decision => ('person' in decision ? [decision.person] : 'into' in decision ? [`${decision.from} → ${decision.into}`] : [])))];
	const who = names.length > 0 && names.length <= 3 ? ` ${names.join(', ')}` : '';
	return `people: ${actions.join(', ')}${who} (${faces} ${faces === 1 ? 'face' : 'faces'})`;
}

/** What `forgetFaces` did. */
export type ForgetResult = {readonly batchId: string | null; readonly faces: number; readonly decisions: number; readonly photos: number};

/**
 * `curate faces --forget` (issue 19): every face, its descriptor, name, group and rejections, and every face scan,
 * out of the catalog as one journal batch. Undo puts them back to the row (the batch holds them until the journal
 * entry is purged). Sidecars are not touched: regions written there are the person's own metadata.
 */
export async function forgetFaces(target: Library | Journal): Promise<ForgetResult> {
	return withJournal(target, async journal => {
		const store = faceStoreOf(journal.catalog);
		const operations: SetFacesOperation[] = [];
		let faces = 0;
		let decisions = 0;
		for (const sha256 of store.contents()) {
			const changes = store.idsOfContent(sha256).map(id => {
				const before = store.record(id)!;
				faces++;
				decisions += (before.person === null ? 0 : 1) + before.rejected.length;
				return {id, before, after: null as FaceRecord | null};
			});
			const scans = store.scansOf(sha256).map(row => ({model: row.model, before: row, after: null}));
			operations.push({kind: 'set-faces', sha256, faces: changes, scans});
		}

		if (operations.length === 0) {
			return {batchId: null, faces: 0, decisions: 0, photos: 0};
		}

		const result = await journal.apply({command: 'faces --forget', label: `faces: forget ${faces} ${faces === 1 ? 'face' : 'faces'} of ${operations.length} ${operations.length === 1 ? 'photo' : 'photos'}`, operations});
		return {batchId: String(result.batch), faces, decisions, photos: operations.length};
	});
}
