/**
 * Writes a file whole or not at all: into a short temporary name in the same folder (created exclusively, so nothing
 * already there is written through), fsynced, then renamed over the final name, the one step that is atomic on local
 * disks and on network mounts alike. On any failure (a full disk above all) the temporary file is removed and the
 * final name keeps what it had: never a partial or 0-byte file under it. The temporary name fits beside a 255-byte one.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/** Writes `file` through `write(fd)` (which may write in chunks) atomically; returns what `write` returned. */
export function writeFileAtomic<T>(file: string, write: (fd: number) => T): T {
	const dir = path.dirname(file);
	const temporary = path.join(dir, `.curate-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
	let fd: number | undefined;
	try {
		fd = fs.openSync(temporary, 'wx', 0o644);
		const result = write(fd);
		fs.fsyncSync(fd);
		fs.closeSync(fd);
		fd = undefined;
		fs.renameSync(temporary, file);
		fsyncDir(dir);
		return result;
	} catch (error) {
		if (fd !== undefined) {
			try {
				fs.closeSync(fd);
			} catch {}
		}

		fs.rmSync(temporary, {force: true});
		throw error;
	}
}

/** Syncs a folder now, so a rename into it is durable before something that depends on it (removing a source). */
export function fsyncDir(dir: string): void {
	try {
		const fd = fs.openSync(dir, 'r');
		try {
			fs.fsyncSync(fd);
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		// Some filesystems (and platforms) cannot fsync a folder; the rename is still atomic there.
	}
}
