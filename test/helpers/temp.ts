import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(prefix = 'curate-test-'): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	// Removed at process exit rather than with node:test's after(), which cannot be registered from inside hooks.
	process.once('exit', () => {
		fs.rmSync(dir, {recursive: true, force: true});
	});
	return dir;
}

/** The real-photo corpus beside the project (or beside the folder of git worktrees the project is checked out in). */
export const corpusDir = [path.resolve(import.meta.dirname, '../../../shared/photos'), path.resolve(import.meta.dirname, '../../../../shared/photos')].find(dir => fs.existsSync(path.join(dir, 'MANIFEST.md'))) ?? path.resolve(import.meta.dirname, '../../../shared/photos');

/** `skip` option for tests that need the corpus: a clear message when it is absent. */
export const needsCorpus: string | false = fs.existsSync(path.join(corpusDir, 'MANIFEST.md'))
	? false
	: `real-photo corpus not found at ${corpusDir} (../shared/photos); skipped`;

/** Copies a folder tree with its timestamps (files only, no symlinks), making everything writable. */
export function copyTree(from: string, to: string): void {
	fs.cpSync(from, to, {recursive: true, preserveTimestamps: true});
	const makeWritable = (dir: string) => {
		fs.chmodSync(dir, 0o755);
		for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				makeWritable(full);
			} else {
				fs.chmodSync(full, 0o644);
			}
		}
	};

	makeWritable(to);
}
