/**
 * Small in-memory versions of the review screen's services, for component tests: actions that record what they were
 * asked (and can be told to fail), pictures rendered as a letter grid, and a progress store.
 */
import type {DecisionResult, PictureRequest, PictureSource, ReviewActions, ReviewCluster, ReviewMember, ReviewProgress, ReviewServices} from '../../source/review/types.js';

/** One call the fake actions received. */
export type Call = {action: 'keep' | 'merge' | 'notDuplicates' | 'undo'; cluster?: string; keeper?: string; batchId?: string};

/** Fake ReviewActions: each decision gets batch id `b1`, `b2`, …; `failNext` makes the next call reject. */
export function fakeActions() {
	const calls: Call[] = [];
	let batch = 0;
	let failure: string | undefined;
	const decide = async (call: Call, freed: number): Promise<DecisionResult> => {
		calls.push(call);
		if (failure) {
			const message = failure;
			failure = undefined;
			throw new Error(message);
		}

		return {batchId: `b${++batch}`, freedBytes: freed, summary: `${call.action} done`};
	};

	const others = (cluster: ReviewCluster, keeper: string) => cluster.members.filter(member => member.path !== keeper).reduce((sum, member) => sum + member.bytes, 0);
	const actions: ReviewActions = {
		keep: async (cluster, keeper) => decide({action: 'keep', cluster: cluster.id, keeper}, others(cluster, keeper)),
		merge: async (cluster, keeper) => decide({action: 'merge', cluster: cluster.id, keeper}, others(cluster, keeper)),
		notDuplicates: async cluster => decide({action: 'notDuplicates', cluster: cluster.id}, 0),
		async undo(batchId) {
			calls.push({action: 'undo', batchId});
			return {summary: `undid ${batchId}`};
		},
	};
	return {
		actions,
		calls,
		failNext(message: string) {
			failure = message;
		},
	};
}

/** Pictures drawn as a grid of one letter (the first of the sha256), so frames show where each picture went. */
export function fakePictures(): PictureSource & {loads: PictureRequest[]} {
	const loads: PictureRequest[] = [];
	const draw = (request: PictureRequest) => Array.from({length: request.rows}, () => request.sha256[0]!.repeat(request.columns)).join('\n');
	return {
		loads,
		peek: () => undefined,
		async load(request) {
			loads.push(request);
			if (!request.thumb) {
				throw new Error('no preview');
			}

			return draw(request);
		},
		preload() {},
	};
}

/** Services with a progress store. */
export function fakeServices() {
	const actions = fakeActions();
	const pictures = fakePictures();
	const saved: ReviewProgress[] = [];
	const services: ReviewServices = {
		actions: actions.actions,
		pictures,
		saveProgress(progress) {
			saved.push(progress);
		},
	};
	return {services, calls: actions.calls, failNext: actions.failNext, pictures, saved};
}

/** A member with plausible defaults. */
export function member(path: string, overrides: Partial<ReviewMember> = {}): ReviewMember {
	return {
		path,
		sha256: `${path.length.toString(16)}${'0'.repeat(63)}`,
		width: 4032,
		height: 3024,
		bytes: 2_400_000,
		format: 'jpeg',
		takenAt: '2019-05-03T14:22:10',
		camera: 'NIKON D750',
		gps: true,
		caption: null,
		keywords: [],
		rating: null,
		lens: null,
		keeper: false,
		reasons: [],
		match: 'exact',
		companions: [],
		thumb: '/thumbs/x.jpg',
		...overrides,
	};
}

/** A cluster of the given members; the first is the suggested keeper unless one says otherwise. */
export function cluster(id: string, members: ReviewMember[]): ReviewCluster {
	const hasKeeper = members.some(entry => entry.keeper);
	const withKeeper = members.map((entry, index) => (hasKeeper || index > 0 ? entry : {...entry, keeper: true}));
	return {id, kind: 'exact', reclaimableBytes: withKeeper.filter(entry => !entry.keeper).reduce((sum, entry) => sum + entry.bytes, 0), members: withKeeper};
}
