/**
 * The journal's operations as plain data (issue 4), with the pure rules about them: which paths are allowed, where
 * the trash keeps a file, what each operation means in a sentence. No fs or database here; `source/journal/` applies
 * these and `source/db/journal-store.ts` stores them.
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

/** One operation. `sha256` is always the content that the operation moves or expects. */
export type Operation =
	/** Library file → `.curate/trash/<batch>/<path>`. Undo moves it back. */
	| {readonly kind: 'trash'; readonly path: string; readonly sha256: string; readonly size: number}
	/** Library path → library path. */
	| {readonly kind: 'move'; readonly from: string; readonly to: string; readonly sha256: string; readonly size: number; readonly madeFolders?: readonly string[]}
	/** A file (absolute path anywhere, or library-relative) copied to a new library path. Undo trashes the copy. */
	| {readonly kind: 'copy'; readonly source: string; readonly to: string; readonly sha256: string; readonly size: number; readonly madeFolders?: readonly string[]}
	/**
	 * A file from outside the library (`source`, absolute) moved in: copied to `to`, verified, and only then the source
	 * removed. Undo copies the bytes back to `source` (verified) and moves the library copy to the trash.
	 */
	| {readonly kind: 'move-in'; readonly source: string; readonly to: string; readonly sha256: string; readonly size: number; readonly madeFolders?: readonly string[]}
	/**
	 * Writes a sidecar (an XMP file). `before` is the exact previous content (base64) or null when there was none;
	 * undo restores those bytes, or trashes a sidecar that did not exist before. `photo` is the photo it describes,
	 * whose catalog fields change from `fieldsBefore` to `fieldsAfter`.
	 */
	| {
		readonly kind: 'write-sidecar';
		readonly path: string;
		readonly before: string | null;
		readonly beforeSha256: string | null;
		readonly after: string;
		readonly afterSha256: string;
		readonly photo?: string;
		/** The content of `photo` when the sidecar was written (filled in by the journal): replay matches by it. */
		readonly photoSha256?: string;
		readonly fieldsBefore?: FieldValues;
		readonly fieldsAfter?: FieldValues;
	}
	/**
	 * Writes metadata into the file itself. A byte-exact backup goes to `.curate/trash/<batch>/<path>` first; undo
	 * puts those bytes back. `afterSha256` is filled in when the write is done.
	 */
	| {
		readonly kind: 'write-embedded';
		readonly path: string;
		readonly sha256: string;
		readonly write: MetadataWrite;
		readonly afterSha256?: string;
		readonly fieldsBefore?: FieldValues;
		readonly fieldsAfter?: FieldValues;
	}
	/** "Not duplicates": the SHA-256 pairs `Catalog.markDistinct` added. Undo removes exactly these. */
	| {readonly kind: 'mark-not-duplicate'; readonly cluster?: string; readonly pairs: ReadonlyArray<readonly [string, string]>}
	/** A catalog-only change of one photo's fields (tags, rating, merged metadata) with the values before and after. */
	| {readonly kind: 'set-fields'; readonly path: string; readonly sha256: string; readonly before: FieldValues; readonly after: FieldValues}
	/** Catalog-only: tag rows of one content (SHA-256) set to `after`; undo restores `before` (issue 7). */
	| {readonly kind: 'set-tags'; readonly sha256: string; readonly changes: readonly TagRowChange[]}
	/** Deletes a file from the trash for good. The only deletion Curate does, and it cannot be undone. */
	| {readonly kind: 'purge'; readonly trashPath: string; readonly sha256: string; readonly size: number};

/**
 * `madeFolders` (move, copy, move-in): the library folders the operation created for its target, outermost first,
 * recorded when it ran so that undo removes them again once they are empty (issue 13), and never any other folder.
 */

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

/** Whether undo can take an operation back. */
export function isUndoable(op: Operation): boolean {
	return op.kind !== 'purge';
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

/** The library paths an operation reads or writes (for validation); the copy source is checked by the caller. */
export function pathsOf(op: Operation): string[] {
	switch (op.kind) {
		case 'trash': {
			return [op.path];
		}

		case 'move': {
			return [op.from, op.to];
		}

		case 'copy':
		case 'move-in': {
			return [op.to];
		}

		case 'write-sidecar':
		case 'write-embedded':
		case 'set-fields': {
			return [op.path, ...('photo' in op && op.photo ? [op.photo] : [])];
		}

		case 'mark-not-duplicate':
		case 'set-tags': {
			return [];
		}

		case 'purge': {
			return [op.trashPath];
		}
	}
}

/** One line saying what an operation does (unsanitised: callers sanitise for terminals). */
export function describe(op: Operation): string {
	switch (op.kind) {
		case 'trash': {
			return `trash ${op.path}`;
		}

		case 'move': {
			return `move ${op.from} → ${op.to}`;
		}

		case 'copy': {
			return `copy ${op.source} → ${op.to}`;
		}

		case 'move-in': {
			return `move in ${op.source} → ${op.to}`;
		}

		case 'write-sidecar': {
			return `${op.before === null ? 'create' : 'rewrite'} sidecar ${op.path}`;
		}

		case 'write-embedded': {
			return `write metadata into ${op.path}`;
		}

		case 'mark-not-duplicate': {
			return `mark ${op.cluster ? `cluster ${op.cluster}` : `${op.pairs.length} pairs`} as not duplicates`;
		}

		case 'set-fields': {
			return `set ${Object.keys(op.after).join(', ')} of ${op.path}`;
		}

		case 'set-tags': {
			return `set ${op.changes.map(change => `${change.tag} ${change.after?.state ?? 'removed'}`).join(', ')} on content ${op.sha256.slice(0, 12)}`;
		}

		case 'purge': {
			return `purge ${op.trashPath}`;
		}
	}
}
