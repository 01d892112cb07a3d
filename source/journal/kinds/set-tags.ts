/** `set-tags`: catalog only, the tag rows of one content (SHA-256) set to `after`; undo restores `before` (issue 7). */
import type {TagRowChange} from '../../core/journal.js';
import {listOf, nullable, number, object, oneOf, required, sha256, text} from '../../core/operation-schema.js';
import {tagRowsOf} from '../../db/tag-review.js';
import {catalogOnly, defineKind, noProblem} from '../kind.js';

/** Tag rows are per content, so they follow a photo wherever its bytes are. */
export type SetTagsOperation = {readonly kind: 'set-tags'; readonly sha256: string; readonly changes: readonly TagRowChange[]};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		'set-tags': SetTagsOperation;
	}
}

const tagRowValue = nullable(object({state: required(oneOf('suggested', 'confirmed', 'rejected')), confidence: required(number(0, 1))}));

export const setTagsKind = defineKind<SetTagsOperation>({
	kind: 'set-tags',
	schema: {
		sha256: required(sha256),
		changes: required(listOf(object({tag: required(text(500)), source: required(oneOf('clip', 'rule', 'user')), before: required(tagRowValue), after: required(tagRowValue)}), 'tag changes')),
	},
	fieldsProblem: noProblem,
	contentProblem: noProblem,
	describe: op => `set ${op.changes.map(change => `${change.tag} ${change.after?.state ?? 'removed'}`).join(', ')} on content ${op.sha256.slice(0, 12)}`,
	example: ({photo}) => ({kind: 'set-tags', sha256: photo.sha256, changes: [{tag: 'beach', source: 'user', before: null, after: {state: 'confirmed', confidence: 1}}]}),

	pathProblem: noProblem,
	touches: () => [],
	...catalogOnly,
	forwardCatalog: (op, {catalog}) => tagRowsOf(catalog).setRows(op.sha256, op.changes.map(change => ({tag: change.tag, source: change.source, value: change.after}))),
	reverseCatalog: (op, {catalog}) => tagRowsOf(catalog).setRows(op.sha256, op.changes.map(change => ({tag: change.tag, source: change.source, value: change.before}))),
	undoable: true,

	replay(op, {catalog}) {
		// Tag rows are per content; undo here must restore this library's rows, not the exporting library's.
		if (catalog.filesBySha(op.sha256).length === 0) {
			return {unmatched: `no file here has the content ${op.sha256.slice(0, 12)}`};
		}

		const rows = tagRowsOf(catalog);
		return {
			...op,
			changes: op.changes.map(change => {
				const here = rows.rows(op.sha256, change.tag).find(row => row.source === change.source);
				return {...change, before: here ? {state: here.state, confidence: here.confidence} : null};
			}),
		};
	},
});
