import {createHash} from 'node:crypto';
import {PassThrough} from 'node:stream';
import {extract} from 'tar-stream';
import {checkPassword, checkRepository, dumpTar, listSnapshots, type ResticRepository, type ResticSnapshot, resticVersion} from '../adapters/restic.js';
import {BackupStore} from '../db/backups.js';
import type {Catalog} from '../db/catalog.js';
import {HealthStore} from '../db/health.js';
import {UserError} from '../errors.js';
import type {Library} from '../library.js';
import {emptyVerifyReport, summarise, type VerifyProgress, type VerifyReport} from './verify.js';

/** What `restic check` said, beside the file comparison. */
export type RepositoryCheck = {
	readonly snapshot: string;
	readonly snapshotTime: string;
	/** `n/t` of restic's `--read-data-subset`, or null when only the structure was checked. */
	readonly subset: string | null;
	readonly ok: boolean;
	readonly problems: readonly string[];
};

/** Options of a restic backup check. */
export type ResticVerifyOptions = {
	readonly repository: ResticRepository;
	readonly location: string;
	/** Share of the repository's data restic reads and of the files whose content is compared, in (0, 1]. */
	readonly read?: number;
	readonly signal?: AbortSignal;
};

/** The newest snapshot of this library in the repository; a clear error when there is none. */
export async function latestLibrarySnapshot(repository: ResticRepository, libraryId: string): Promise<ResticSnapshot> {
	const snapshots = await listSnapshots(repository, ['curate', `library:${libraryId}`]);
	const latest = snapshots.at(-1);
	if (!latest) {
		throw new UserError(`${repository.repo} holds no snapshot of this library (back it up with curate backup --to restic:${repository.repo})`);
	}

	return latest;
}

/** A snapshot entry's library-relative path, from its tar name (restic writes the absolute path without its leading slash). */
export function relativeOf(name: string, root: string): string | undefined {
	const prefix = root.replace(/^\/+/, '').replace(/\/+$/, '') + '/';
	const clean = name.replace(/^\.?\/+/, '');
	return clean.startsWith(prefix) ? clean.slice(prefix.length) : undefined;
}

/**
 * Checks a restic backup against the catalog (issue 18): `restic check` reads `read` of the repository's data (a
 * different part each run: `--read-data-subset n/t` with n advancing), and the library's newest snapshot is streamed
 * out of the repository (`restic dump --archive tar`) and compared with the catalog: present files missing from it,
 * and files whose backed-up SHA-256 differs from the catalog's. With `read` below 1 the contents compared are the same
 * share of the files, again a different part each run; the file list is always compared whole.
 */
export async function verifyResticBackup(library: Library, catalog: Catalog, options: ResticVerifyOptions, onProgress: (progress: VerifyProgress) => void = () => {}): Promise<VerifyReport & {repository: RepositoryCheck}> {
	const started = performance.now();
	const {repository} = options;
	resticVersion(repository.binary);
	checkPassword(repository);
	const backups = new BackupStore(catalog);
	const health = new HealthStore(catalog);
	const libraryId = backups.libraryId();
	const target = backups.target('restic', options.location);
	const latest = await latestLibrarySnapshot(repository, libraryId);
	const root = latest.paths[0] ?? library.root;

	const parts = options.read === undefined || options.read >= 1 ? 1 : Math.max(1, Math.round(1 / options.read));
	const part = ((target.checkNext - 1) % parts) + 1;
	const subset = options.read === undefined ? null : `${part}/${parts}`;
	const check = await checkRepository(repository, subset ?? undefined);
	backups.setCheckNext(target.id, (part % parts) + 1);

	const candidates = health.verifyCandidates();
	const byPath = new Map(candidates.map(file => [file.path, file]));
	const inPart = (id: number) => parts === 1 || id % parts === part - 1;
	const comparing = candidates.filter(file => inPart(file.id));
	const runId = health.beginVerifyRun('backup', options.location);
	const report: VerifyReport & {repository: RepositoryCheck} = {
		...emptyVerifyReport('backup', options.location, candidates.length, parts === 1 ? null : 1 / parts),
		repository: {snapshot: latest.shortId, snapshotTime: latest.time, subset, ok: check.ok, problems: check.problems},
	};
	const totalBytes = comparing.reduce((sum, file) => sum + file.size, 0);
	const seen = new Set<string>();
	const tar = extract();
	const feed = new PassThrough();
	const done = new Promise<void>((resolve, reject) => {
		tar.on('entry', (header, stream, next) => {
			const relative = header.type === 'file' ? relativeOf(header.name, root) : undefined;
			const file = relative === undefined ? undefined : byPath.get(relative);
			if (!file || !inPart(file.id)) {
				if (file) {
					seen.add(file.path);
				}

				stream.on('end', next);
				stream.resume();
				return;
			}

			seen.add(file.path);
			onProgress({total: comparing.length, done: report.checked, bytes: report.bytes, totalBytes, problems: report.damaged.length + report.missing.length, current: file.path});
			const hash = createHash('sha256');
			let bytes = 0;
			stream.on('data', (chunk: unknown) => {
				hash.update(chunk as Buffer);
				bytes += (chunk as Buffer).length;
			});
			stream.on('end', () => {
				const sha256 = hash.digest('hex');
				report.checked++;
				report.bytes += bytes;
				if (sha256 === file.sha256) {
					report.ok++;
				} else {
					report.damaged.push({path: file.path, expected: file.sha256, actual: sha256, reason: 'the backed-up content differs from the catalog\'s'});
				}

				next();
			});
		});
		tar.on('finish', resolve);
		tar.on('error', reject);
	});
	feed.pipe(tar);
	try {
		await dumpTar(repository, latest.id, root, chunk => feed.write(chunk), options.signal);
		feed.end();
		await done;
	} catch (error) {
		feed.destroy();
		if ((error as Error).name !== 'AbortError') {
			throw error;
		}

		report.interrupted = true;
	}

	if (!report.interrupted) {
		for (const file of candidates) {
			if (!seen.has(file.path)) {
				report.missing.push({path: file.path, expected: file.sha256, reason: `not in snapshot ${latest.shortId} (run curate backup)`});
			}
		}
	}

	for (const list of [report.damaged, report.missing]) {
		list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	}

	report.seconds = Math.round((performance.now() - started) / 10) / 100;
	health.finishVerifyRun(runId, report.interrupted ? 'interrupted' : 'done', summarise(report));
	return report;
}
