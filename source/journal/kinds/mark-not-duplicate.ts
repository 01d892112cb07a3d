/** `mark-not-duplicate`: "not duplicates", the SHA-256 pairs `Catalog.markDistinct` added; undo removes exactly these. */
import {type Check, fail, listOf, optional, required, sha256, text, within} from '../../core/operation-schema.js';
import {catalogOnly, defineKind, noProblem} from '../kind.js';

/** Catalog only. Use `notDuplicatesOperation(catalog, sha256s)` (`source/journal/plans.ts`) to get only new pairs. */
export type MarkNotDuplicateOperation = {readonly kind: 'mark-not-duplicate'; readonly cluster?: string; readonly pairs: ReadonlyArray<readonly [string, string]>};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		'mark-not-duplicate': MarkNotDuplicateOperation;
	}
}

const sha256Pair: Check = value =>
	!Array.isArray(value) || value.length !== 2 ? fail('must be a pair of SHA-256s') : (sha256(value[0]) && within('[0]', sha256(value[0])!)) || (sha256(value[1]) && within('[1]', sha256(value[1])!)) || undefined;

export const markNotDuplicateKind = defineKind<MarkNotDuplicateOperation>({
	kind: 'mark-not-duplicate',
	schema: {cluster: optional(text(200)), pairs: required(listOf(sha256Pair, 'pairs of SHA-256s'))},
	fieldsProblem: noProblem,
	contentProblem: noProblem,
	describe: op => `mark ${op.cluster ? `cluster ${op.cluster}` : `${op.pairs.length} pairs`} as not duplicates`,
	example: ({photo, other}) => ({kind: 'mark-not-duplicate', pairs: [[photo.sha256, other.sha256]]}),

	pathProblem: noProblem,
	touches: () => [],
	...catalogOnly,
	forwardCatalog(op, {catalog}) {
		for (const pair of op.pairs) {
			catalog.markDistinct(pair[0] === pair[1] ? [pair[0]] : [pair[0], pair[1]]);
		}
	},
	reverseCatalog: (op, {catalog}) => catalog.unmarkDistinct(op.pairs),
	undoable: true,

	replay(op, {catalog}) {
		// Only pairs of contents this library has: a decision about photos it does not hold is not replayed.
		const known = catalog.distinctPairs();
		const here = (sha: string) => catalog.filesBySha(sha).length > 0;
		const present = op.pairs.filter(([a, b]) => here(a) && here(b));
		const pairs = present.filter(([a, b]) => !known.has(`${a} ${b}`));
		return present.length === 0 ? {unmatched: 'no files here have these contents'} : pairs.length === 0 ? {unmatched: 'already recorded here'} : {...op, pairs};
	},
});
