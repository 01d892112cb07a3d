import fs from 'node:fs';
import path from 'node:path';

/**
 * The root of the nearest library at or above `cwd` (a folder holding `.curate/catalog.db`), or undefined: the same
 * walk as `findLibrary` in library.ts, without loading SQLite, so `curate` outside a library answers as fast as
 * `--help` (issue 14).
 */
export function nearestLibraryRoot(cwd: string): string | undefined {
	for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
		if (fs.existsSync(path.join(dir, '.curate', 'catalog.db'))) {
			return dir;
		}

		if (path.dirname(dir) === dir) {
			return undefined;
		}
	}
}
