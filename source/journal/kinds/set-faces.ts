/**
 * `set-faces`: catalog only (issue 19), the face rows of one content (SHA-256) set from `before` to `after`, face by
 * face: a person's name on a face, its group, the people it was rejected for; a face taken out (`after` null, as
 * `curate faces --forget` does) or put back whole (`before` null, with what the model found). Undo restores `before`
 * exactly, so a face decision, a merge or a forget is taken back to the row. The sidecar writes a decision implies are
 * `write-sidecar` operations of the same batch.
 */
import {listOf, nullable, number, object, required, optional, sha256, text, base64, type Check} from '../../core/operation-schema.js';
import {type FaceRecord, type FaceScanRow, faceStoreOf} from '../../db/faces.js';
import {catalogOnly, defineKind} from '../kind.js';

/** One face's change. */
export type FaceChange = {readonly id: number; readonly before: FaceRecord | null; readonly after: FaceRecord | null};

/** One scan row's change (`curate faces --forget` takes them out, so a later run finds the faces again). */
export type FaceScanChange = {readonly model: string; readonly before: FaceScanRow | null; readonly after: FaceScanRow | null};

/** Face rows are per content, so they follow a photo wherever its bytes are. */
export type SetFacesOperation = {
	readonly kind: 'set-faces';
	readonly sha256: string;
	readonly faces: readonly FaceChange[];
	readonly scans?: readonly FaceScanChange[];
};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		'set-faces': SetFacesOperation;
	}
}

const name = text(100);
const faceRecord: Check = nullable(
	object({
		person: required(nullable(name)),
		namedAt: required(nullable(text(40))),
		cluster: required(nullable(number(0, Number.MAX_SAFE_INTEGER, true))),
		rejected: required(listOf(name, 'names')),
		data: optional(
			object({
				model: required(text(200)),
				x: required(number(-1, 2)),
				y: required(number(-1, 2)),
				w: required(number(0, 2)),
				h: required(number(0, 2)),
				score: required(number(0, 1)),
				embedding: required(base64),
				createdAt: required(text(40)),
			}),
		),
	}),
);
const scanRow: Check = nullable(object({model: required(text(200)), faces: required(number(0, 100_000, true)), scannedAt: required(text(40))}));

/** Whether a face's row says what a record says (its data aside: what the model found does not change). */
function sameFace(current: FaceRecord, expected: FaceRecord): boolean {
	return (
		current.person === expected.person &&
		current.namedAt === expected.namedAt &&
		current.cluster === expected.cluster &&
		current.rejected.length === expected.rejected.length &&
		current.rejected.every(name => expected.rejected.includes(name))
	);
}

/** Applies one side of the operation. */
function setSide(op: SetFacesOperation, side: 'before' | 'after', catalog: Parameters<typeof faceStoreOf>[0]): void {
	const store = faceStoreOf(catalog);
	for (const change of op.faces) {
		store.setRecord(op.sha256, change.id, change[side]);
	}

	for (const scan of op.scans ?? []) {
		store.setScan(op.sha256, scan.model, scan[side]);
	}
}

export const setFacesKind = defineKind<SetFacesOperation>({
	kind: 'set-faces',
	schema: {
		sha256: required(sha256),
		faces: required(listOf(object({id: required(number(1, Number.MAX_SAFE_INTEGER, true)), before: required(faceRecord), after: required(faceRecord)}), 'face changes')),
		scans: optional(listOf(object({model: required(text(200)), before: required(scanRow), after: required(scanRow)}), 'scan changes')),
	},
	fieldsProblem(op) {
		// A face that appears or disappears must be carried whole, or its undo could not put it back.
		for (const [index, change] of op.faces.entries()) {
			if (change.before === null && !change.after?.data) {
				return {field: `faces[${index}].after`, problem: 'must hold the face whole (data) when the face is added'};
			}

			if (change.after === null && !change.before?.data) {
				return {field: `faces[${index}].before`, problem: 'must hold the face whole (data) when the face is taken out'};
			}
		}

		return undefined;
	},
	contentProblem: () => undefined,
	describe(op) {
		const named = op.faces.filter(change => change.after?.person && change.after.person !== change.before?.person).map(change => change.after!.person!);
		const removed = op.faces.filter(change => change.after === null).length;
		const parts = [
			...(named.length > 0 ? [`name ${[...new Set(named)].join(', ')}`] : []),
			...(removed > 0 ? [`forget ${removed} ${removed === 1 ? 'face' : 'faces'}`] : []),
		];
		return `${parts.length > 0 ? parts.join('; ') : `set ${op.faces.length} ${op.faces.length === 1 ? 'face' : 'faces'}`} on content ${op.sha256.slice(0, 12)}`;
	},
	example: ({photo}) => ({
		kind: 'set-faces',
		sha256: photo.sha256,
		faces: [
			{
				id: 4_000_001,
				before: null,
				after: {
					person: 'Anna', namedAt: '2026-01-01T00:00:00.000Z', cluster: 1, rejected: ['Ben'],
					data: {model: 'example', x: 0.25, y: 0.25, w: 0.5, h: 0.5, score: 0.9, embedding: Buffer.from(new Float32Array([1, 0]).buffer).toString('base64'), createdAt: '2026-01-01T00:00:00.000Z'},
				},
			},
		],
		scans: [{model: 'example', before: null, after: {model: 'example', faces: 1, scannedAt: '2026-01-01T00:00:00.000Z'}}],
	}),

	pathProblem: () => undefined,
	touches: () => [],
	...catalogOnly,
	// A face changed since (named again, re-found by a new scan after a forget) is not overwritten: the batch is refused.
	async preflight(op, {catalog}, direction) {
		const store = faceStoreOf(catalog);
		for (const change of op.faces) {
			const expected = direction === 'forward' ? change.before : change.after;
			const current = store.state(change.id);
			if (expected === null ? current !== undefined : !current || !sameFace(current, expected)) {
				return `face f${change.id} has changed since this batch (${current ? `now ${current.person ?? 'unnamed'}` : 'no longer in the catalog'})`;
			}
		}

		return undefined;
	},
	forwardCatalog(op, {catalog}) {
		setSide(op, 'after', catalog);
	},
	reverseCatalog(op, {catalog}) {
		setSide(op, 'before', catalog);
	},
	undoable: true,

	// Face ids are this library's own: a decision about another library's faces has nothing to match here.
	replay: () => ({unmatched: 'face decisions refer to the faces of the library that made them'}),
});
