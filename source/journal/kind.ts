/**
 * What a journal operation kind is (issue 14). Each kind is one module under `source/journal/kinds/` that declares
 * all of it: its data (schema, cross-field rules, content checks, an example), its path rules, its preflight check,
 * how it is applied and taken back on disk, how an interrupted one is settled from evidence, its catalog change
 * forwards and backwards, and how an exported one is replayed. `kinds/index.ts` lists the kinds; the journal engine
 * (`journal.ts`, `exchange.ts`) looks behaviour up there and knows no kind by name.
 *
 * This module holds the contract and the small context every kind works in; helpers several kinds share are in
 * `disk.ts` (hashing, atomic copies and renames) and `relocation.ts` (files that change place).
 */
import {pathProblem, trashPathFor, type Operation} from '../core/journal.js';
import type {SchemaProblem, Shape} from '../core/operation-schema.js';
import type {Catalog} from '../db/catalog.js';
import type {JournalStore} from '../db/journal-store.js';
import {type DirSyncs, insideRoot} from './disk.js';

/** Forwards (apply, redo) or in reverse (undo, rollback). */
export type Direction = 'forward' | 'reverse';

/** What an effect needs: the library root, the batch (for trash paths), and the catalog. */
export type EffectContext = {
	readonly root: string;
	readonly batch: number;
	readonly store: JournalStore;
	readonly catalog: Catalog;
	/** Folder syncs that may wait until the journal marks the current chunk done (see `DirSyncs`). */
	readonly later?: DirSyncs;
	/**
	 * Takes work that must wait until those folders are synced (removing a file whose copy has to be durable first),
	 * to run before the chunk is marked done. Without it, the folders are synced and the work runs at once.
	 */
	readonly defer?: (task: () => Promise<void>) => void;
};

/** How an interrupted step was settled: whether it took effect, and the operation as completed from the disk. */
export type Settled<Op extends Operation = Operation> = {readonly done: boolean; readonly op: Op};

/** What replay makes of an exported operation: this library's operation, or why there is none. */
export type Replayed = Operation | {readonly refused: string} | {readonly unmatched: string};

/** What replay offers a kind to translate an exported operation to this library. */
export type ReplayContext = {
	readonly catalog: Catalog;
	/** The first of these library paths that leads out of the root (through a link), as a refusal; else undefined. */
	readonly outside: (...paths: string[]) => {readonly refused: string} | undefined;
	/**
	 * Finds this library's file with `sha256` (at `preferred` when it holds it) and builds the operation on it.
	 * Files an operation moves are claimed, so two trashes of identical content take two files; `shared` is for
	 * operations that only describe a photo (fields, sidecars), which may share one.
	 */
	readonly claim: (preferred: string, sha256: string, what: string, build: (found: string) => Operation, shared?: boolean) => Replayed;
};

/** A catalogued file of the library an example is built in. */
export type ExampleFile = {readonly path: string; readonly sha256: string; readonly size: number};

/**
 * A library to build an example operation in (tests run every registered kind through it): a photo that this
 * operation alone uses (a real JPEG, catalogued), another catalogued photo it may refer to, a file outside the library
 * (`path` absolute) and a file in the trash (`path` library-relative, left there by batch 1).
 */
export type ExampleLibrary = {readonly photo: ExampleFile; readonly other: ExampleFile; readonly outside: ExampleFile; readonly trashed: ExampleFile};

/**
 * What an operation does to files, so the disk can be checked against the journal: each path's SHA-256 before and
 * after it (null: no file there), and what the trash may keep either way. Paths are library-relative, except the
 * absolute ones outside the library.
 */
export type Footprint = {
	readonly before: Readonly<Record<string, string | null>>;
	readonly after: Readonly<Record<string, string | null>>;
	readonly kept: Readonly<Record<string, readonly string[]>>;
};

/** Everything a kind declares. Every part is required, so a new kind cannot leave one out. */
export type KindDefinition<Op extends Operation> = {
	/** The `kind` its operations carry. */
	readonly kind: Op['kind'];

	// Its data.
	/** Its fields besides `kind` (`source/core/operation-schema.ts` has the field checks). */
	readonly schema: Shape;
	/** Rules across fields that one field's check cannot see (run once the schema passes). */
	readonly fieldsProblem: (op: Op) => SchemaProblem | undefined;
	/** Whether the content it carries matches the SHA-256s it claims, so an undo never writes made-up bytes. */
	readonly contentProblem: (op: Op) => string | undefined;
	/** One line saying what it does (unsanitised: callers sanitise for terminals). */
	readonly describe: (op: Op) => string;
	/** A valid operation of this kind in an example library. */
	readonly example: (library: ExampleLibrary) => Op;

	// Its path rules.
	/** Why one of its paths is not acceptable (beyond the schema: a second line of defence), or undefined. */
	readonly pathProblem: (op: Op) => string | undefined;
	/** The library paths it reads or writes (an operation on a path an earlier one touched may wait to be checked). */
	readonly touches: (op: Op) => readonly string[];
	/** The path it fills in `direction`, if any: two operations of a batch may not fill the same one. */
	readonly fills: (op: Op, direction: Direction) => string | undefined;
	/** Whether, after an earlier operation of its batch touched its paths, it is checked when it runs, not before. */
	readonly checkedWhenRun: boolean;
	/** What it does to files (before and after). */
	readonly footprint: (op: Op, batch: number) => Footprint;

	// Its effect and its inverse.
	/** Why it cannot run in `direction` now (checked before a batch starts), or undefined. */
	readonly preflight: (op: Op, context: EffectContext, direction: Direction) => Promise<string | undefined>;
	/** Performs it on disk, verified by hash; returns it, completed where it learnt more. */
	readonly forward: (op: Op, context: EffectContext) => Promise<Op>;
	/** Takes it back on disk, verified by hash. */
	readonly reverse: (op: Op, context: EffectContext) => Promise<void>;
	/**
	 * Tells from the disk alone whether an interrupted step in `direction` took effect, cleaning up a partial copy
	 * only once the intact original is verified; throws when the evidence does not decide.
	 */
	readonly settle: (op: Op, context: EffectContext, direction: Direction) => Promise<Settled<Op>>;
	/** Its catalog change, made in the transaction that marks it applied. */
	readonly forwardCatalog: (op: Op, context: EffectContext) => void;
	/** Its catalog change taken back, in the transaction that marks it undone. */
	readonly reverseCatalog: (op: Op, context: EffectContext) => void;
	/**
	 * Whether undo can take it back. One that cannot (purge) runs in a batch and a chunk of its own, is never rolled
	 * back, and when interrupted is completed rather than taken back.
	 */
	readonly undoable: boolean;

	// Its replay on another library.
	/** Translates an exported operation to this library (matched by content), or says why it cannot be. */
	readonly replay: (op: Op, here: ReplayContext) => Replayed;
};

/** The parts every kind declares, by name (a test checks each registered kind against this list). */
export const kindParts = [
	'kind', 'schema', 'fieldsProblem', 'contentProblem', 'describe', 'example',
	'pathProblem', 'touches', 'fills', 'checkedWhenRun', 'footprint',
	'preflight', 'forward', 'reverse', 'settle', 'forwardCatalog', 'reverseCatalog', 'undoable',
	'replay',
] as const satisfies ReadonlyArray<keyof KindDefinition<Operation>>;

/** Fails to compile when a part of `KindDefinition` is missing from `kindParts`. */
type Unlisted = Exclude<keyof KindDefinition<Operation>, (typeof kindParts)[number]>;
const allListed: [Unlisted] extends [never] ? true : Unlisted = true;
void allListed;

/** Declares a kind (an identity that lets TypeScript check the definition against the operation type). */
export function defineKind<Op extends Operation>(definition: KindDefinition<Op>): KindDefinition<Op> {
	return definition;
}

/** Thrown when the disk does not allow an operation; the message is for the user. */
export class EffectRefused extends Error {
	override readonly name = 'EffectRefused';
}

/** The absolute path of a library path, refusing one that leads out through a link. */
export const at = (context: EffectContext, relativePath: string) => insideRoot(context.root, relativePath);

/** Where this batch keeps a library path in the trash. */
export const trashOf = (context: EffectContext, relativePath: string) => trashPathFor(context.batch, relativePath);

/** Runs `task` once the folders written so far are durable: at the end of the chunk, or now. */
export async function afterSync(context: EffectContext, task: () => Promise<void>): Promise<void> {
	if (context.defer) {
		context.defer(task);
		return;
	}

	await task();
}

/** The first of these paths that is not acceptable (library paths; trash paths where `allowTrash`), or undefined. */
export function pathsProblem(paths: ReadonlyArray<readonly [string, boolean]>): string | undefined {
	for (const [relativePath, allowTrash] of paths) {
		const problem = pathProblem(relativePath, {allowTrash});
		if (problem) {
			return `${problem}: ${relativePath}`;
		}
	}

	return undefined;
}

/** For a kind without rules across fields or content. */
export const noProblem = (): undefined => undefined;

/** For a kind that fills no path. */
export const fillsNothing = (): undefined => undefined;

/** For a kind whose only effect is its catalog change: it checks nothing on disk beforehand. */
export const nothingToCheck = async (): Promise<undefined> => undefined;

/** For a kind that changes no file. */
export const noFootprint = (): Footprint => ({before: {}, after: {}, kept: {}});

/**
 * The disk side of a kind that changes only the catalog (set-fields, set-tags, mark-not-duplicate): it fills no
 * path, leaves no footprint, has nothing to check or do on disk, and, since its change commits with its state, one
 * left in intent did not happen.
 */
export const catalogOnly = {
	fills: fillsNothing,
	checkedWhenRun: false,
	footprint: noFootprint,
	preflight: nothingToCheck,
	forward: async <Op>(op: Op): Promise<Op> => op,
	async reverse(): Promise<void> {},
	settle: async <Op>(op: Op): Promise<{done: false; op: Op}> => ({done: false, op}),
} as const;
