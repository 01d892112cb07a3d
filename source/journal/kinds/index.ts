/**
 * The registry of journal operation kinds (issue 14). Each kind is one module of this folder declaring everything
 * about it (`KindDefinition` in `../kind.ts`); the journal engine looks a kind's behaviour up here and names none.
 * Adding a kind is adding its module and its line below. The order is the one messages list kinds in.
 */
import type {Operation, OperationKind} from '../../core/journal.js';
import {formatProblem, operationShapeProblem, type SchemaProblem, type Shape} from '../../core/operation-schema.js';
import type {KindDefinition} from '../kind.js';
import {copyKind} from './copy.js';
import {markNotDuplicateKind} from './mark-not-duplicate.js';
import {moveInKind} from './move-in.js';
import {moveKind} from './move.js';
import {purgeKind} from './purge.js';
import {setFacesKind} from './set-faces.js';
import {setFieldsKind} from './set-fields.js';
import {setTagsKind} from './set-tags.js';
import {trashKind} from './trash.js';
import {writeEmbeddedKind} from './write-embedded.js';
import {writeSidecarKind} from './write-sidecar.js';

/** Every kind, by name; typed so that a kind declared in `OperationsByKind` but not listed here does not compile. */
const registry: {readonly [K in OperationKind]: KindDefinition<Extract<Operation, {kind: K}>>} = {
	trash: trashKind,
	move: moveKind,
	copy: copyKind,
	'move-in': moveInKind,
	'write-sidecar': writeSidecarKind,
	'write-embedded': writeEmbeddedKind,
	'mark-not-duplicate': markNotDuplicateKind,
	'set-fields': setFieldsKind,
	'set-tags': setTagsKind,
	'set-faces': setFacesKind,
	purge: purgeKind,
};

/** Every registered kind's definition, in registry order (tests walk this to cover each kind). */
export const operationKinds: ReadonlyArray<KindDefinition<Operation>> = Object.values(registry) as Array<KindDefinition<Operation>>;

const byName = new Map<string, KindDefinition<Operation>>(operationKinds.map(kind => [kind.kind, kind]));
const schemas = new Map<string, Shape>(operationKinds.map(kind => [kind.kind, kind.schema]));

/** The definition of an operation's kind. Operations reach here validated; an unknown kind is a bug, said plainly. */
export function kindOf<Op extends Operation>(op: Op): KindDefinition<Op> {
	const kind = byName.get(op.kind);
	if (!kind) {
		throw new Error(`unknown operation kind: ${String(op.kind).slice(0, 40)}`);
	}

	return kind as unknown as KindDefinition<Op>;
}

/**
 * What is wrong with a value that should be an operation, or undefined: its kind's schema, then its rules across
 * fields. Content checks that need hashing are `invalidOperation`'s.
 */
export function operationProblem(value: unknown): SchemaProblem | undefined {
	return operationShapeProblem(value, schemas) ?? kindOf(value as Operation).fieldsProblem(value as Operation);
}

/**
 * Why an operation is not acceptable as data (issue 13, A4, A7): its schema, the content it carries matching the
 * SHA-256s it claims (so an undo can never write made-up bytes), and its paths.
 */
export function invalidOperation(op: unknown): string | undefined {
	const problem = operationProblem(op);
	if (problem) {
		return formatProblem(problem);
	}

	const valid = op as Operation;
	const kind = kindOf(valid);
	return kind.contentProblem(valid) ?? kind.pathProblem(valid);
}

/** One line saying what an operation does (unsanitised: callers sanitise for terminals). */
export function describe(op: Operation): string {
	return kindOf(op).describe(op);
}
