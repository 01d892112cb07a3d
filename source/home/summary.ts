import type {DupeSearchProgress} from '../core/progress.js';
import type {Catalog} from '../db/catalog.js';
import type {Tally} from '../db/health.js';
import {HomeStore, lastBackup} from '../db/home.js';
import {JournalStore} from '../db/journal-store.js';
import {libraryStatus} from '../health/status.js';
import {listTrash} from '../journal/purge.js';
import {loadJournalSettings} from '../journal/settings.js';
import type {Library} from '../library.js';
import {changedFolders} from './changed-folders.js';

/** A command the home screen offers to run next, and why. */
export type NextStep = {
	/** Arguments after `curate`. */
	readonly args: readonly string[];
	/** The command as the user would type it inside the library. */
	readonly command: string;
	/** Why it is suggested, one short phrase. */
	readonly reason: string;
};

/** What the home screen shows (issue 14): what the library holds, what waits for the user, and what to run next. */
export type HomeSummary = {
	readonly root: string;
	readonly files: number;
	readonly bytes: number;
	/** Present photos (image and raw formats) and videos; `files` also counts broken and unknown ones. */
	readonly photos: number;
	readonly videos: number;
	/** Capture years, oldest first (`unknown` last), with their files. */
	readonly years: readonly Tally[];
	/** Cameras by files, most first: a display name (make and model, the make once) and a count. */
	readonly cameras: ReadonlyArray<{readonly name: string; readonly files: number}>;
	readonly duplicates: {readonly clusters: number; readonly reclaimableBytes: number};
	/** Photo contents with a tag suggestion below `below` waiting for review, and across how many tags. */
	readonly tagReview: {readonly suggestions: number; readonly tags: number; readonly below: number};
	readonly neverVerified: number;
	/** Files whose latest verification found them damaged or unreadable. */
	readonly knownDamaged: number;
	/** The trash, and the part of it older than the retention (what `curate purge` would delete). */
	readonly trash: {readonly files: number; readonly bytes: number; readonly expiredFiles: number; readonly expiredBytes: number; readonly retentionDays: number};
	readonly lastScan: {readonly at: string; readonly state: string} | null;
	/** Catalogued folders where a scan would find new or gone photos (the first few). */
	readonly changedFolders: readonly string[];
	readonly lastBackup: {readonly target: string; readonly finishedAt: string; readonly ageDays: number} | null;
	readonly next: NextStep | null;
};

/** Options of the summary. */
export type HomeOptions = {
	/** The tag review threshold (`curate tags review --below`). */
	readonly below: number;
	/** A backup older than this many days is suggested again (default 7). */
	readonly backupDueDays?: number;
	readonly now?: Date;
	/** Where the duplicate search says how far it is, when none is kept (minutes at a million photos). */
	readonly onSearchProgress?: (event: DupeSearchProgress) => void;
};

const dayMs = 86_400_000;

/** "Canon" + "Canon EOS 5D" → "Canon EOS 5D"; "NIKON CORPORATION" + "NIKON D750" → "NIKON D750"; "Apple" + "iPhone 12" → "Apple iPhone 12". */
export function cameraName(make: string | null, model: string): string {
	if (!make) {
		return model;
	}

	const brand = make.split(/\s+/)[0]!;
	return model.toLowerCase().startsWith(brand.toLowerCase()) ? model : `${make} ${model}`;
}

/** Cameras under their display names (two spellings of one make count as one camera), most files first. */
function camerasByName(rows: ReadonlyArray<{make: string | null; model: string; files: number}>): HomeSummary['cameras'] {
	const byName = new Map<string, number>();
	for (const row of rows) {
		const name = cameraName(row.make, row.model);
		byName.set(name, (byName.get(name) ?? 0) + row.files);
	}

	return [...byName].map(([name, files]) => ({name, files})).sort((a, b) => b.files - a.files || a.name.localeCompare(b.name));
}

/**
 * The next command worth running, first match wins: a scan when the last one never finished or folders changed since;
 * a verify of the files never read back (a sample just large enough to reach them, never-verified first); the last
 * backup again when it is older than `backupDueDays`. Purging the trash is never offered: it is the one step that
 * cannot be undone, so the home screen only says it is due.
 */
export function nextStep(summary: Omit<HomeSummary, 'next'>, backupDueDays = 7): NextStep | null {
	if (!summary.lastScan || summary.lastScan.state !== 'done') {
		return {args: ['scan', summary.root], command: 'curate scan', reason: summary.lastScan ? `the last scan was ${summary.lastScan.state === 'running' ? 'cut off' : summary.lastScan.state}` : 'nothing scanned yet'};
	}

	if (summary.changedFolders.length > 0) {
		return {args: ['scan', summary.root], command: 'curate scan', reason: 'photos added or gone since the last scan'};
	}

	if (summary.neverVerified > 0 && summary.files > 0) {
		const percent = Math.min(100, Math.max(1, Math.ceil((summary.neverVerified / summary.files) * 100)));
		return {args: ['verify', '--sample', `${percent}%`, '--library', summary.root], command: `curate verify --sample ${percent}%`, reason: `${summary.neverVerified} ${summary.neverVerified === 1 ? 'file' : 'files'} never verified`};
	}

	if (summary.lastBackup && summary.lastBackup.ageDays >= backupDueDays) {
		return {args: ['backup', '--to', summary.lastBackup.target, '--library', summary.root], command: `curate backup --to ${summary.lastBackup.target}`, reason: `last backup ${Math.floor(summary.lastBackup.ageDays)} days ago`};
	}

	return null;
}

/** Gathers the home screen's summary from the catalog, the trash and the library's folders. Reads only. */
export function homeSummary(library: Library, catalog: Catalog, options: HomeOptions): HomeSummary {
	const now = options.now ?? new Date();
	const status = libraryStatus(library, catalog, {onProgress: options.onSearchProgress});
	const store = new HomeStore(catalog);
	const kinds = new Map(store.kinds().map(row => [row.kind, row.files]));
	const retentionDays = loadJournalSettings(library).retentionDays;
	// The same list and the same age `curate purge` uses, so "older than the retention" is what purge would delete.
	const trash = listTrash({library, store: new JournalStore(catalog)});
	const expired = trash.filter(item => now.getTime() - item.trashedAt.getTime() >= retentionDays * dayMs);
	const pending = store.pendingSuggestions(options.below);
	const scan = status.lastScan;
	// Folders newer than the later of the last scan's start and the journal's last change: Curate's own moves to the
	// trash and sidecar writes touch folders too, and a scan does not need to see them.
	const since = Math.max(...[scan?.startedAt, store.lastJournalChange()].map(at => (at ? Date.parse(at) : 0)));
	const changed = scan ? changedFolders(library.root, {counts: store.folderCounts(), isCatalogued: path => store.isCatalogued(path)}, since) : [];
	const backup = lastBackup(catalog);
	const summary: Omit<HomeSummary, 'next'> = {
		root: library.root,
		files: status.files,
		bytes: status.bytes,
		photos: (kinds.get('image') ?? 0) + (kinds.get('raw') ?? 0),
		videos: kinds.get('video') ?? 0,
		years: status.byYear,
		cameras: camerasByName(store.cameras()),
		duplicates: {clusters: status.duplicates.clusters, reclaimableBytes: status.duplicates.reclaimableBytes},
		tagReview: {suggestions: pending.contents, tags: pending.tags, below: options.below},
		neverVerified: status.neverVerified,
		knownDamaged: status.knownDamaged,
		trash: {
			files: trash.length,
			bytes: trash.reduce((sum, item) => sum + item.size, 0),
			expiredFiles: expired.length,
			expiredBytes: expired.reduce((sum, item) => sum + item.size, 0),
			retentionDays,
		},
		lastScan: scan ? {at: scan.finishedAt ?? scan.startedAt, state: scan.state} : null,
		changedFolders: changed,
		lastBackup: backup ? {target: backup.target, finishedAt: backup.finishedAt, ageDays: (now.getTime() - Date.parse(backup.finishedAt)) / dayMs} : null,
	};
	return {...summary, next: nextStep(summary, options.backupDueDays)};
}
