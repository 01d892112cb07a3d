/**
 * One declarative schema per operation kind (issue 13, A4 and A7): every journal line, every operation handed to
 * `Journal.apply` and every field value bound for the catalog is checked against it before anything runs, so a null
 * operation, an unknown kind, `pairs` that is not a list or a rating of "DROP" is refused with the field named, never
 * met halfway through a batch as a TypeError.
 *
 * Why a small validator of our own rather than a library: the project adds no dependency in issue 13, and what is
 * needed is tiny (types, nullability, lists, enums, strict objects, a path rule), pure, and must give a message a
 * user can act on. Each kind's schema is declared in its module (`source/journal/kinds/`, issue 14), built from the
 * checks here; the journal fuzz test walks them all.
 */
import {pathProblem} from './journal.js';

/** What is wrong with a value: the field (dotted, with list indexes) and a sentence about it. */
export type SchemaProblem = {readonly field: string; readonly problem: string};

/** A check of one value: its problem, or undefined when it is fine. */
export type Check = (value: unknown) => SchemaProblem | undefined;

/** A field of an object schema. */
export type Field = {readonly check: Check; readonly optional: boolean};

/** An object schema: its fields, and nothing else is allowed. */
export type Shape = Readonly<Record<string, Field>>;

/** A problem of the value itself. */
export const fail = (problem: string): SchemaProblem => ({field: '', problem});
/** A problem of a value inside `name` (a field, or a list index `[n]`). */
export const within = (name: string, inner: SchemaProblem): SchemaProblem => ({
	field: inner.field === '' ? name : inner.field.startsWith('[') ? `${name}${inner.field}` : `${name}.${inner.field}`,
	problem: inner.problem,
});

/** A required field. */
export const required = (check: Check): Field => ({check, optional: false});
/** A field that may be left out (but not set to `undefined`-like junk: present means checked). */
export const optional = (check: Check): Field => ({check, optional: true});

/** A string (of at most `max` characters, without NUL). */
export const text = (max = 100_000): Check => value =>
	typeof value !== 'string' ? fail('must be a string') : value.length > max ? fail(`is longer than ${max} characters`) : value.includes('\0') ? fail('contains a NUL byte') : undefined;

/** A value or null. */
export const nullable = (check: Check): Check => value => (value === null ? undefined : check(value));

/** One of a few strings. */
export const oneOf = (...values: readonly string[]): Check => value =>
	typeof value === 'string' && values.includes(value) ? undefined : fail(`must be one of ${values.map(candidate => `"${candidate}"`).join(', ')}`);

/** A finite number in [min, max], whole when `integer`. */
export const number = (min: number, max: number, integer = false): Check => value =>
	typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))
		? fail(`must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`)
		: undefined;

/** A list whose every item passes `item`. */
export const listOf = (item: Check, what: string): Check => value => {
	if (!Array.isArray(value)) {
		return fail(`must be a list of ${what}`);
	}

	for (const [index, entry] of value.entries()) {
		const problem = item(entry);
		if (problem) {
			return within(`[${index}]`, problem);
		}
	}

	return undefined;
};

/** A plain object with exactly the fields of `shape` (required ones present, no others). */
export const object = (shape: Shape): Check => value => {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return fail('must be an object');
	}

	const record = value as Record<string, unknown>;
	for (const key of Object.keys(record)) {
		if (!Object.hasOwn(shape, key)) {
			return {field: key, problem: 'is not a field here'};
		}
	}

	for (const [key, field] of Object.entries(shape)) {
		if (!Object.hasOwn(record, key)) {
			if (!field.optional) {
				return {field: key, problem: 'is missing'};
			}

			continue;
		}

		const problem = field.check(record[key]);
		if (problem) {
			return within(key, problem);
		}
	}

	return undefined;
};

/** A SHA-256 as the catalog writes it: 64 lowercase hex digits. */
export const sha256: Check = value => (typeof value === 'string' && /^[\da-f]{64}$/.test(value) ? undefined : fail('must be a SHA-256 (64 lowercase hex digits)'));
/** A size in bytes. */
export const size: Check = value => (Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : fail('must be a size in bytes (a whole number, 0 or more)'));
/** Bytes as base64. */
export const base64: Check = value => (typeof value === 'string' && /^[A-Za-z\d+/]*={0,2}$/.test(value) && value.length % 4 === 0 ? undefined : fail('must be base64 text'));

const pathWith = (options: {readonly allowTrash?: boolean}): Check => value => {
	if (typeof value !== 'string') {
		return fail('must be a path (a string)');
	}

	const problem = pathProblem(value, options);
	return problem ? fail(problem) : undefined;
};

/** A library-relative path that stays inside the library and out of `.curate`. */
export const libraryPath = pathWith({});
/** A path inside the trash. */
export const trashPath = pathWith({allowTrash: true});
/** An absolute path (the source of a move-in, outside the library). */
export const absolutePath: Check = value =>
	typeof value !== 'string' || !value.startsWith('/') || value.includes('\0') || value.split('/').includes('..') ? fail('must be an absolute path without ".."') : undefined;
/** A copy's source: an absolute path, or a library path. */
export const sourcePath: Check = value => (typeof value === 'string' && value.startsWith('/') ? absolutePath(value) : libraryPath(value));

const keywordList = listOf(text(1000), 'strings');

/** Catalog fields as a metadata operation carries them (`FieldValues`). */
export const fieldValues = object({
	keywords: optional(keywordList),
	// -1 is Lightroom's "rejected"; 0–5 stars.
	rating: optional(nullable(number(-1, 5, true))),
	title: optional(nullable(text(10_000))),
	description: optional(nullable(text(100_000))),
	gps: optional(nullable(object({lat: required(number(-90, 90)), lon: required(number(-180, 180)), alt: optional(number(-1e6, 1e6))}))),
	takenAt: optional(nullable(text(64))),
	takenAtSource: optional(nullable(oneOf('original', 'digitized', 'other', 'mtime'))),
	hierarchicalSubject: optional(keywordList),
});

/** Folders a move or copy created (recorded when it ran, so undo can remove them once empty). */
export const madeFolders = optional(listOf(libraryPath, 'library paths'));

/**
 * What is wrong with a value that should be an operation of one of `schemas` (keyed by kind, in the order messages
 * list them), or undefined. Rules across fields and content checks are the kind's own (`source/journal/kinds/`).
 */
export function operationShapeProblem(value: unknown, schemas: ReadonlyMap<string, Shape>): SchemaProblem | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return {field: 'op', problem: value === null || value === undefined ? 'is missing (null)' : 'must be an object'};
	}

	const {kind} = value as {kind?: unknown};
	const schema = typeof kind === 'string' ? schemas.get(kind) : undefined;
	if (schema === undefined) {
		return {field: 'kind', problem: kind === undefined ? 'is missing' : `is not a known operation (${[...schemas.keys()].join(', ')})`};
	}

	return object({kind: required(oneOf(kind as string)), ...schema})(value);
}

/** What is wrong with catalog field values (before they are written to the catalog), or undefined. */
export function fieldValuesProblem(value: unknown): SchemaProblem | undefined {
	return fieldValues(value);
}

/** A problem as one phrase: `field "after.rating" must be a whole number from -1 to 5`. */
export function formatProblem(problem: SchemaProblem): string {
	return problem.field === '' ? problem.problem : `field "${problem.field}" ${problem.problem}`;
}
