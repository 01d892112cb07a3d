/** `set-fields`: a catalog-only change of one photo's fields (tags, rating, merged metadata), with before and after. */
import type {FieldValues} from '../../core/journal.js';
import {fieldValues, libraryPath, required, sha256} from '../../core/operation-schema.js';
import {catalogOnly, defineKind, noProblem, pathsProblem} from '../kind.js';

/** The photo at `path` (content `sha256`) gets the fields `after`; undo gives it `before` again. */
export type SetFieldsOperation = {readonly kind: 'set-fields'; readonly path: string; readonly sha256: string; readonly before: FieldValues; readonly after: FieldValues};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		'set-fields': SetFieldsOperation;
	}
}

export const setFieldsKind = defineKind<SetFieldsOperation>({
	kind: 'set-fields',
	schema: {path: required(libraryPath), sha256: required(sha256), before: required(fieldValues), after: required(fieldValues)},
	fieldsProblem: noProblem,
	contentProblem: noProblem,
	describe: op => `set ${Object.keys(op.after).join(', ')} of ${op.path}`,
	example: ({photo}) => ({kind: 'set-fields', path: photo.path, sha256: photo.sha256, before: {rating: null}, after: {rating: 4}}),

	pathProblem: op => pathsProblem([[op.path, false]]),
	touches: op => [op.path],
	...catalogOnly,
	forwardCatalog: (op, {store}) => store.setFields(op.path, op.after),
	reverseCatalog: (op, {store}) => store.setFields(op.path, op.before),
	undoable: true,

	replay: (op, here) => here.outside(op.path) ?? here.claim(op.path, op.sha256, op.path, found => ({...op, path: found}), true),
});
