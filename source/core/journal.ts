/**
 * The journal's operations as plain data (issue 4), with the pure rules about them: which paths are allowed, where
 * the trash keeps a file. No fs or database here. Each kind's shape, and everything it does, is declared by its
 * module in `source/journal/kinds/` (issue 14); `source/db/journal-store.ts` stores them.
 *
 * Every path in an operation is relative to the library root, with `/` separators (as the catalog stores them).
 * The exceptions are the source of a `copy`, which may be an absolute path outside the library (import), and the
 * source of a `move-in`, which always is one (`import --move`).
 */

import type {Gps, TakenAtSource} from './types.js';

/** Catalog fields a metadata operation may change, with their values before and after. */
export type FieldValues = {
	readonly keywords?: readonly string[];
	readonly rating?: number | null;
	readonly title?: string | null;
	readonly description?: string | null;
	/** Where the photo was taken (signed degrees, metres); null clears it. */
	readonly gps?: Gps | null;
	/** Capture time as the catalog keeps it: ISO 8601, with the UTC offset only when known. */
	readonly takenAt?: string | null;
	/** Where `takenAt` came from; the catalog follows a written date, files only ever get `takenAt`. */
	readonly takenAtSource?: TakenAtSource | null;
	/**
	 * Lightroom's hierarchical keywords (`XMP-lr:HierarchicalSubject`, levels joined by `|`), written with keywords by
	 * tag review (issue 7). Files only: the catalog has no column for them, so catalog changes skip it.
	 */
	readonly hierarchicalSubject?: readonly string[];
};

/** One tag row of one content as tag review changes it (issue 7): its state and confidence, or null when absent. */
export type TagRowValue = {readonly state: 'suggested' | 'confirmed' | 'rejected'; readonly confidence: number} | null;

/** A change of one tag row (content, tag, source), with the row before and after. */
export type TagRowChange = {
	readonly tag: string;
	readonly source: 'clip' | 'rule' | 'user';
	readonly before: TagRowValue;
	readonly after: TagRowValue;
};

/** Metadata to write into a file or its sidecar. `undefined` leaves a field alone; `null` clears it. */
export type MetadataWrite = FieldValues;

/**
 * The operation kinds by name, each entry the shape of one kind's operations. Every module under
 * `source/journal/kinds/` adds its own entry (`declare module` augmentation, beside its schema), so this pure module
 * imports nothing of the journal and a new kind needs no edit here (issue 14).
 */
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions, @typescript-eslint/no-empty-interface
export interface OperationsByKind {}

/** One operation: plain data, whose `kind` says which module of `source/journal/kinds/` applies it. */
export type Operation = OperationsByKind[keyof OperationsByKind];

/** The kinds of operation. */
export type OperationKind = Operation['kind'];

/** Where an operation stands. */
export type OperationState = 'intent' | 'applied' | 'undoing' | 'undone' | 'failed' | 'rolled-back';

/** Where a batch stands. `running`, `redoing` and `undoing` only last while a process works on it (or crashed). */
export type BatchState = 'running' | 'applied' | 'undoing' | 'undone' | 'redoing' | 'failed' | 'rolled-back';

/** The trash folder, relative to the library root. */
export const trashRoot = '.curate/trash';

/** Where `trash` puts a library file in batch `batch` (and where backups and undone copies go). */
export function trashPathFor(batch: number, relativePath: string): string {
	return `${trashRoot}/${batch}/${relativePath}`;
}

/**
 * Checks a library-relative path from a journal (which may come from another machine): POSIX separators, not
 * absolute, no `.`/`..`/empty segments, no NUL, and not inside `.curate/` unless `allowTrash` and inside the trash.
 * Returns the reason it is refused, or undefined when it is fine. Symlinks are checked against the disk elsewhere.
 */
export function pathProblem(relativePath: string, options: {readonly allowTrash?: boolean} = {}): string | undefined {
	if (typeof relativePath !== 'string' || relativePath === '') {
		return 'empty path';
	}

	if (relativePath.includes('\0')) {
		return 'path contains a NUL byte';
	}

	if (relativePath.startsWith('/') || /^[A-Za-z]:/.test(relativePath) || relativePath.includes('\\')) {
		return 'absolute or non-POSIX path';
	}

	const segments = relativePath.split('/');
	if (segments.some(segment => segment === '..')) {
		return 'path leaves the library (..)';
	}

	if (segments.some(segment => segment === '' || segment === '.')) {
		return 'path has empty or "." segments';
	}

	if (segments[0] === '.curate') {
		const inTrash = relativePath.startsWith(`${trashRoot}/`) && segments.length > 3;
		if (!(options.allowTrash && inTrash)) {
			return 'path points into .curate';
		}
	}

	return undefined;
}

/**
 * Why `sidecar` is not the sidecar of `photo` (issue 13, A1): it must be an `.xmp` path beside the photo, named
 * `photo.ext.xmp` (digiKam, darktable) or `photo.xmp` (Lightroom), and the photo must not itself be an `.xmp` file.
 */
export function sidecarNameProblem(sidecar: string, photo: string): string | undefined {
	if (!/\.xmp$/i.test(sidecar)) {
		return `${sidecar} is not an .xmp sidecar`;
	}

	if (/\.xmp$/i.test(photo)) {
		return `${photo} is a sidecar, not a photo`;
	}

	const slash = photo.lastIndexOf('/');
	const dot = photo.lastIndexOf('.');
	const stem = dot > slash + 1 ? photo.slice(0, dot) : undefined;
	const names = [`${photo}.xmp`, `${photo}.XMP`, ...(stem === undefined ? [] : [`${stem}.xmp`, `${stem}.XMP`])];
	return names.includes(sidecar) ? undefined : `${sidecar} is not the sidecar of ${photo} (${photo}.xmp${stem === undefined ? '' : ` or ${stem}.xmp`})`;
}
