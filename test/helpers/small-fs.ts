/**
 * A real, small filesystem for disk-full tests (issue 13): a tmpfs mounted with a size limit, so that writes fail with
 * the kernel's own ENOSPC (and SQLite's own SQLITE_FULL / SIGBUS on a memory-mapped WAL index), not a simulated error.
 * Mounting needs root (CI and the development machines run as root); elsewhere the tests skip with a message.
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function canMount(): boolean {
	if (process.platform !== 'linux') {
		return false;
	}

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-mount-probe-'));
	try {
		const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status === 0;
		if (mounted) {
			spawnSync('umount', [dir]);
		}

		return mounted;
	} finally {
		fs.rmSync(dir, {recursive: true, force: true});
	}
}

/** `skip` option for tests that need a small filesystem: a clear message where tmpfs cannot be mounted. */
export const needsSmallFs: string | false = canMount() ? false : 'cannot mount a size-limited tmpfs here (needs root on Linux); disk-full test skipped';

/** A mounted tmpfs of `bytes` (rounded up to pages by the kernel); unmounted and removed at process exit or by `release`. */
export function smallFs(bytes: number, prefix = 'curate-small-fs-'): {readonly dir: string; readonly release: () => void; readonly free: () => number} {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], {encoding: 'utf8'});
	if (result.status !== 0) {
		fs.rmSync(dir, {recursive: true, force: true});
		throw new Error(`mount tmpfs failed: ${result.stderr}`);
	}

	let released = false;
	const release = () => {
		if (released) {
			return;
		}

		released = true;
		spawnSync('umount', ['-l', dir]);
		fs.rmSync(dir, {recursive: true, force: true});
	};

	process.once('exit', release);
	return {
		dir,
		release,
		/** Bytes still free for an unprivileged writer. */
		free() {
			const stats = fs.statfsSync(dir);
			return stats.bavail * stats.bsize;
		},
	};
}

/** Fills `dir` until only about `leaveBytes` are free (a file named `.filler`), to put a disk near full. */
export function fillUntil(dir: string, leaveBytes: number): void {
	const stats = fs.statfsSync(dir);
	const free = stats.bavail * stats.bsize;
	const size = Math.max(0, free - leaveBytes);
	const fd = fs.openSync(path.join(dir, '.filler'), 'w');
	try {
		const chunk = Buffer.alloc(64 * 1024);
		let written = 0;
		while (written < size) {
			const length = Math.min(chunk.length, size - written);
			try {
				written += fs.writeSync(fd, chunk, 0, length);
			} catch {
				break;
			}
		}
	} finally {
		fs.closeSync(fd);
	}
}
