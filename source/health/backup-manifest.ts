import fs from 'node:fs';
import path from 'node:path';

/** The folder inside a backup target where Curate keeps its own files (manifest, catalog snapshot, moved-aside files). */
export const backupDirName = '.curate-backup';

/** What a backup wrote for one file: the hash it verified after writing, and the copy's size and mtime then. */
export type ManifestEntry = {
	readonly sha256: string;
	readonly size: number;
	readonly mtimeMs: number;
	/** The source's own mtime when it was copied: a sidecar (not catalogued) is recognised by it. */
	readonly sourceMtimeMs?: number;
};

/** The record a backup target keeps of itself, so a rerun need not re-hash the whole target. */
export type Manifest = {
	version: 1;
	/** The library this target mirrors (a safety check against mixing two libraries into one target). */
	library: string;
	updatedAt: string;
	files: Record<string, ManifestEntry>;
};

/** Path of a target's manifest. */
export const manifestPath = (target: string) => path.join(target, backupDirName, 'manifest.json');

/** Reads a target's manifest; an empty one when the target has none yet. */
export function readManifest(target: string): Manifest {
	let text;
	try {
		text = fs.readFileSync(manifestPath(target), 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {version: 1, library: '', updatedAt: '', files: {}};
		}

		throw error;
	}

	const parsed = JSON.parse(text) as Manifest;
	// Plain objects from JSON.parse have Object.prototype: a photo named "constructor" must not find a method.
	return {...parsed, files: Object.assign(Object.create(null) as Record<string, ManifestEntry>, parsed.files)};
}

/**
 * Writes the manifest whole, to a temporary name that is fsynced and then renamed over the old one: a rename within
 * one folder is the one atomic step that network mounts (rclone, SMB) also honour. When the write fails (a full disk),
 * the temporary file goes and the previous manifest stays as it was: never a partial manifest under its final name.
 */
export function writeManifest(target: string, manifest: Manifest): void {
	const file = manifestPath(target);
	fs.mkdirSync(path.dirname(file), {recursive: true});
	const temporary = `${file}.tmp-${process.pid}`;
	try {
		const fd = fs.openSync(temporary, 'w');
		try {
			fs.writeSync(fd, JSON.stringify({...manifest, updatedAt: new Date().toISOString()}));
			fs.fsyncSync(fd);
		} finally {
			fs.closeSync(fd);
		}

		fs.renameSync(temporary, file);
	} catch (error) {
		fs.rmSync(temporary, {force: true});
		throw error;
	}
}
