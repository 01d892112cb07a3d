/**
 * The progress events each long-running engine emits, one type per engine, shared by the engine that emits them and
 * the view that draws them (issue 14: the scan, tag and batch types each had a twin in the UI, and the names
 * `ScanProgress`, `TagProgress` and `BatchProgress` meant both an engine type and an Ink component). Views are named
 * `…View` in `source/ui/`; the types here are the only definition.
 */

/** Progress as a scan goes; `done` counts files examined, including unchanged ones. */
export type ScanProgress = {
	/** Walking the folders, reading files, or committing the tail. */
	readonly phase: 'walking' | 'scanning' | 'finishing';
	/** Files found by the walk. */
	readonly total: number;
	/** Files examined so far, unchanged ones included. */
	readonly done: number;
	/** Files that need reading in this scan (new or changed). */
	readonly toRead: number;
	/** Of those, how many have been read. */
	readonly read: number;
	/** Per-file errors so far. */
	readonly errors: number;
	/** File being read now. */
	readonly current?: string;
};

/** Where `curate tag` is. */
export type TagProgress = {
	/** Embedding new photos, re-scoring stored embeddings, or applying metadata rules. */
	readonly phase: 'embedding' | 'scoring' | 'rules';
	/** Photos (distinct contents) to embed in this run. */
	readonly total: number;
	/** Of those, how many are done (embedded or failed). */
	readonly done: number;
	/** Photos that could not be read. */
	readonly errors: number;
	/** Last photo embedded. */
	readonly current?: string;
};

/** Progress of a journal batch: operations and bytes done of the total, while checking and then while running. */
export type BatchProgress = {
	readonly phase: 'checking' | 'applying' | 'undoing' | 'redoing';
	readonly done: number;
	readonly total: number;
	readonly bytes: number;
	readonly totalBytes: number;
};

/** Import progress: reading the sources, then checking and copying (or moving) them through the journal. */
export type ImportProgress = {
	readonly phase: 'reading' | 'checking' | 'copying' | 'moving' | 'cataloguing';
	readonly done: number;
	readonly total: number;
	/** Bytes copied so far and in all, while copying. */
	readonly bytes?: number;
	readonly totalBytes?: number;
	/** The file being read. */
	readonly current?: string;
};

/**
 * Progress of a task counted in files (verify, backup, export, restore's checking): done of total, optionally bytes
 * and problems found so far. Each of those engines emits this shape or a narrower one.
 */
export type FileTaskProgress = {
	readonly done: number;
	readonly total: number;
	/** Bytes processed so far and in all, when the work is measured in bytes. */
	readonly bytes?: number;
	readonly totalBytes?: number;
	/** Problems found so far (damaged, failed…). */
	readonly problems?: number;
	/** The file being worked on. */
	readonly current?: string;
};

/** Progress of `curate verify`. */
export type VerifyProgress = FileTaskProgress & {readonly bytes: number; readonly totalBytes: number; readonly problems: number};

/** Progress of `curate backup`. */
export type BackupProgress = Pick<FileTaskProgress, 'done' | 'total' | 'current'> & {readonly copiedBytes: number};

/** Progress of `curate export`. */
export type ExportProgress = Pick<FileTaskProgress, 'done' | 'total' | 'current'>;

/** Progress of restore's planning reads (hashing the library's and the backup's copies). */
export type RestorePlanProgress = Pick<FileTaskProgress, 'done' | 'total' | 'current'>;

/**
 * Progress of a duplicate search (`source/dupes/in-catalog.ts`): reading every photo's light record, looking up
 * candidate pairs among `total` photos, verifying `done` of `total` candidate pairs, ranking `done` of `total`
 * clusters, keeping `total` clusters. At a million photos the search takes minutes, synchronously, so a command says
 * where it is on one line (source/ui/progress-lines.ts) rather than through an Ink view.
 */
export type DupeSearchProgress = {
	readonly phase: 'reading' | 'lookup' | 'verifying' | 'ranking' | 'keeping';
	readonly done: number;
	readonly total: number;
};
