import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {checkPassword, dumpFile, listSnapshots, type ResticRepository, type ResticSnapshot, resticVersion, runRestic} from '../adapters/restic.js';
import {BackupStore} from '../db/backups.js';
import type {Catalog} from '../db/catalog.js';
import type {CataloguedFile} from '../db/health.js';
import {UserError} from '../errors.js';
import type {Library} from '../library.js';
import {checkInside, createScratch, makeFoldersInside} from '../safe-path.js';
import {backupDirName, manifestPath, readManifest} from './backup-manifest.js';
import type {BackupTargetSpec} from './backup-target.js';
import {hashFile} from './hash-file.js';
import {relativeOf} from './restic-verify.js';

/**
 * Where restore finds a file's catalogued bytes: `find` returns a local file holding exactly those bytes (SHA-256
 * checked), or undefined when the backup has none. `close` removes whatever was staged.
 */
export type RestoreSource = {
	/** The target as the user named it (a folder, or `restic:REPO`). */
	readonly description: string;
	find(file: CataloguedFile): Promise<string | undefined>;
	close(): void;
};

/** A mirrored folder made by `curate backup --to DIR`: the file at its own path first, then anywhere the manifest saw those bytes. */
export function mirrorSource(dir: string): RestoreSource {
	const from = path.resolve(dir);
	if (!fs.existsSync(manifestPath(from))) {
		throw new UserError(`${from} is not a backup made by curate backup (no ${backupDirName}/manifest.json)`);
	}

	const bySha = new Map<string, string[]>();
	for (const [relative, entry] of Object.entries(readManifest(from).files)) {
		bySha.set(entry.sha256, [...(bySha.get(entry.sha256) ?? []), relative]);
	}

	return {
		description: from,
		async find(file) {
			const places = [file.path, ...(bySha.get(file.sha256) ?? []).filter(other => other !== file.path)];
			for (const relative of places) {
				const absolute = path.join(from, ...relative.split('/'));
				try {
					// eslint-disable-next-line no-await-in-loop
					if ((await hashFile(absolute)).sha256 === file.sha256) {
						return absolute;
					}
				} catch {}
			}

			return undefined;
		},
		close() {},
	};
}

/**
 * A restic repository: the library's snapshots newest first (or only `snapshot`), each asked whether it holds the
 * file; its bytes are dumped into `.curate/restore-staging/` (same disk as the library, so the journal's copy is
 * local) and kept only when their SHA-256 is the catalog's. An older snapshot is tried when a newer one holds other
 * bytes (a file left out of later backups because it was damaged keeps its good copy in an earlier one).
 */
export async function resticSource(library: Library, catalog: Catalog, repository: ResticRepository, location: string, snapshot?: string): Promise<RestoreSource> {
	resticVersion(repository.binary);
	checkPassword(repository);
	const libraryId = new BackupStore(catalog).knownLibraryId();
	if (libraryId === undefined) {
		throw new UserError(`this library was never backed up to restic, so ${repository.repo} holds none of its snapshots`);
	}

	const all = await listSnapshots(repository, ['curate', `library:${libraryId}`]);
	let snapshots: ResticSnapshot[] = [...all].reverse();
	if (snapshot !== undefined) {
		snapshots = snapshots.filter(candidate => candidate.id.startsWith(snapshot));
		if (snapshots.length === 0) {
			throw new UserError(`${repository.repo} holds no snapshot ${snapshot} of this library (curate backup lists them in --json; restic snapshots --tag library:${libraryId})`);
		}
	} else if (snapshots.length === 0) {
		throw new UserError(`${repository.repo} holds no snapshot of this library`);
	}

	const staging = path.join(library.dir, 'restore-staging', randomBytes(4).toString('hex'));
	makeFoldersInside(library.root, staging);
	const listings = new Map<string, Set<string>>();
	const listing = async (candidate: ResticSnapshot) => {
		let files = listings.get(candidate.id);
		if (!files) {
			files = new Set();
			const root = candidate.paths[0] ?? library.root;
			const {stdout} = await runRestic(repository, ['ls', '--json', candidate.id]);
			for (const line of stdout.split('\n')) {
				try {
					const node = JSON.parse(line) as {type?: string; path?: string; struct_type?: string};
					const relative = node.struct_type === 'node' && node.type === 'file' && node.path ? relativeOf(node.path, root) : undefined;
					if (relative !== undefined) {
						files.add(relative);
					}
				} catch {}
			}

			listings.set(candidate.id, files);
		}

		return files;
	};

	let count = 0;
	return {
		description: location,
		async find(file) {
			for (const candidate of snapshots) {
				// eslint-disable-next-line no-await-in-loop
				if (!(await listing(candidate)).has(file.path)) {
					continue;
				}

				const staged = checkInside(library.root, path.join(staging, String(count++)));
				// eslint-disable-next-line no-await-in-loop
				const handle = await createScratch(library.root, staged);
				try {
					const root = candidate.paths[0] ?? library.root;
					let chain = Promise.resolve() as Promise<unknown>;
					// eslint-disable-next-line no-await-in-loop
					await dumpFile(repository, candidate.id, path.posix.join(root, file.path), chunk => {
						chain = chain.then(async () => handle.write(chunk));
					});
					// eslint-disable-next-line no-await-in-loop
					await chain;
					// eslint-disable-next-line no-await-in-loop
					await handle.sync();
				} finally {
					// eslint-disable-next-line no-await-in-loop
					await handle.close();
				}

				// eslint-disable-next-line no-await-in-loop
				if ((await hashFile(staged)).sha256 === file.sha256) {
					return staged;
				}

				fs.rmSync(staged, {force: true});
			}

			return undefined;
		},
		close() {
			fs.rmSync(staging, {recursive: true, force: true});
			try {
				fs.rmdirSync(path.dirname(staging));
			} catch {}
		},
	};
}

/** The source a `--from` names. */
export async function openRestoreSource(library: Library, catalog: Catalog, spec: BackupTargetSpec, options: {readonly passwordFile?: string; readonly snapshot?: string}): Promise<RestoreSource> {
	if (spec.kind === 'restic') {
		return resticSource(library, catalog, {repo: spec.repo, passwordFile: options.passwordFile}, spec.location, options.snapshot);
	}

	if (options.snapshot !== undefined) {
		throw new UserError('--snapshot names a restic snapshot; a mirrored folder has one version of each file');
	}

	return mirrorSource(spec.dir);
}
