/**
 * In-memory people review services for Ink tests (issue 19): faces whose decisions really change the queues and whose
 * undo really restores them, every decision recorded, and crops drawn as letter grids.
 */
import type {FaceCropRequest, FaceCropSource, FaceDecision, FaceReviewItem, PeopleGroup, PeopleReviewServices} from '../../source/faces/people-review-types.js';

/** A face of the fake library. */
export type FakeFace = FaceReviewItem & {readonly cluster: number | null; readonly rejected: readonly string[]};

/** A face whose crop draws `letter`. */
export function face(letter: string, faceId: number, fields: Partial<Pick<FakeFace, 'person' | 'suggestion' | 'cluster'>> = {}): FakeFace {
	return {
		faceId,
		sha256: `${letter}${String(faceId).padStart(63, '0')}`,
		path: `photos/${letter}${faceId}.jpg`,
		box: {x: 0.25, y: 0.25, w: 0.5, h: 0.5},
		person: fields.person ?? null,
		suggestion: fields.suggestion ?? null,
		cluster: fields.cluster ?? null,
		rejected: [],
	};
}

/** Crops drawn as a grid of the first letter of the content's hash. */
export function fakeCrops(): FaceCropSource & {loads: FaceCropRequest[]} {
	const loads: FaceCropRequest[] = [];
	return {
		loads,
		peek: () => undefined,
		async load(request) {
			loads.push(request);
			return Array.from({length: request.rows}, () => request.sha256[0]!.repeat(request.columns)).join('\n');
		},
		preload() {},
	};
}

function applyOne(faces: FakeFace[], decision: FaceDecision): FakeFace[] {
	switch (decision.action) {
		case 'confirm': {
			return faces.map(f => (f.faceId === decision.faceId ? {...f, person: decision.person, suggestion: null} : f));
		}

		case 'reject': {
			return faces.map(f => (f.faceId === decision.faceId ? {...f, suggestion: null, rejected: [...f.rejected, decision.person]} : f));
		}

		case 'name': {
			return faces.map(f => (decision.faceIds.includes(f.faceId) ? {...f, person: decision.person, suggestion: null} : f));
		}

		case 'merge': {
			return faces.map(f => (f.person === decision.from ? {...f, person: decision.into} : f));
		}

		case 'split': {
			return faces.map(f => (f.faceId === decision.faceId ? {...f, person: null, cluster: null} : f));
		}
	}
}

/** Services over `initial` faces. */
export function fakePeopleServices(initial: readonly FakeFace[]) {
	let faces = [...initial];
	const batches: Array<{decisions: readonly FaceDecision[]; label: string; before: FakeFace[]}> = [];
	const undone: number[] = [];
	let failure: string | undefined;
	const services: PeopleReviewServices = {
		crops: fakeCrops(),
		actions: {
			queue(group: PeopleGroup) {
				return faces.filter(f =>
					group.kind === 'suggested'
						? f.person === null && f.suggestion?.person === group.person
						: group.kind === 'named'
							? f.person === group.person
							: f.person === null && f.cluster === group.cluster,
				);
			},
			async decide(decisions, label) {
				if (failure) {
					const message = failure;
					failure = undefined;
					throw new Error(message);
				}

				batches.push({decisions, label, before: faces});
				faces = decisions.reduce(applyOne, faces);
				return {batch: batches.length, summary: `${label} · batch ${batches.length}`};
			},
			async undo(batch) {
				undone.push(batch);
				faces = batches[batch - 1]!.before;
				return {summary: `undid batch ${batch}`};
			},
		},
	};
	return {
		services,
		batches,
		undone,
		faces: () => faces,
		failNext(message: string) {
			failure = message;
		},
	};
}
