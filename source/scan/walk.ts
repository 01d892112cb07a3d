import fs from 'node:fs';
import path from 'node:path';

/** NAS and desktop clutter skipped by default: Synology, QNAP, macOS and Windows leave these beside photos. */
export const defaultIgnores: readonly string[] = [
	'.curate',
	'@eaDir',
	'#recycle',
	'#snapshot',
	'.@__thumb',
	'.DS_Store',
	'._*',
	'Thumbs.db',
	'desktop.ini',
	'.Trashes',
	'.Spotlight-V100',
	'.fseventsd',
	'.AppleDouble',
];

/** Extensions of files the scanner looks at; their content, not the extension, then decides the format. */
export const mediaExtensions: ReadonlySet<string> = new Set([
	'jpg', 'jpeg', 'jpe', 'jfif', 'png', 'gif', 'webp', 'tif', 'tiff', 'bmp', 'avif', 'heic', 'heif', 'hif',
	'dng', 'cr2', 'cr3', 'crw', 'nef', 'nrw', 'arw', 'srf', 'sr2', 'orf', 'rw2', 'raf', 'pef', 'srw', 'x3f', 'erf', 'kdc', 'mrw', '3fr', 'iiq',
	'mov', 'mp4', 'm4v', '3gp', 'mts', 'm2ts', 'avi', 'mkv',
]);

/** A file found by the walk. */
export type WalkedFile = {
	/** Path relative to the library root, always with `/` separators. */
	readonly path: string;
	readonly absolute: string;
	readonly size: number;
	readonly mtimeMs: number;
};

/** Something the walk could not read; the scan records it and goes on. */
export type WalkProblem = {readonly path: string; readonly error: string};

/** Compiles simple glob names (`*` and `?`, matched against one path segment) into a predicate. */
export function ignoreMatcher(patterns: readonly string[]): (name: string) => boolean {
	const regexes = patterns.map(
		pattern => new RegExp(`^${pattern.replaceAll(/[.+^${}()|[\]\\]/g, String.raw`\$&`).replaceAll('*', '.*').replaceAll('?', '.')}$`, 'i'),
	);
	return name => regexes.some(regex => regex.test(name));
}

/**
 * Walks the library and returns every media file with its size and mtime. Symbolic links are not followed unless
 * asked, and when they are, each real folder is entered once, so link loops end. Unreadable folders and files become
 * problems, not failures.
 */
export async function walkLibrary(
	root: string,
	options: {readonly ignore?: readonly string[]; readonly followSymlinks?: boolean; readonly allFiles?: boolean} = {},
): Promise<{files: WalkedFile[]; problems: WalkProblem[]; skipped: number}> {
	const isIgnored = ignoreMatcher(options.ignore ?? defaultIgnores);
	const files: WalkedFile[] = [];
	const problems: WalkProblem[] = [];
	const seenDirs = new Set<string>();
	let skipped = 0;

	const relative = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/');

	const visit = async (dir: string): Promise<void> => {
		let stat;
		try {
			stat = await fs.promises.stat(dir);
		} catch (error) {
			problems.push({path: relative(dir) || '.', error: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`});
			return;
		}

		const key = `${stat.dev}:${stat.ino}`;
		if (seenDirs.has(key)) {
			return;
		}

		seenDirs.add(key);
		let entries;
		try {
			entries = await fs.promises.readdir(dir, {withFileTypes: true});
		} catch (error) {
			problems.push({path: relative(dir) || '.', error: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`});
			return;
		}

		const subdirs: string[] = [];
		const candidates: string[] = [];
		for (const entry of entries) {
			if (isIgnored(entry.name)) {
				continue;
			}

			const absolute = path.join(dir, entry.name);
			if (entry.isSymbolicLink()) {
				if (!options.followSymlinks) {
					skipped++;
					continue;
				}

				try {
					const target = await fs.promises.stat(absolute);
					if (target.isDirectory()) {
						subdirs.push(absolute);
					} else if (target.isFile()) {
						candidates.push(absolute);
					}
				} catch {
					problems.push({path: relative(absolute), error: 'broken symbolic link'});
				}

				continue;
			}

			if (entry.isDirectory()) {
				subdirs.push(absolute);
			} else if (entry.isFile()) {
				candidates.push(absolute);
			}
		}

		const wanted = candidates.filter(file => {
			const extension = path.extname(file).slice(1).toLowerCase();
			if (options.allFiles || mediaExtensions.has(extension)) {
				return true;
			}

			skipped++;
			return false;
		});

		// Stat in parallel chunks: on a NAS each stat is a network round trip.
		for (let i = 0; i < wanted.length; i += 64) {
			const chunk = wanted.slice(i, i + 64);
			// eslint-disable-next-line no-await-in-loop
			const stats = await Promise.all(chunk.map(async file => fs.promises.stat(file).catch((error: NodeJS.ErrnoException) => error)));
			for (const [index, result] of stats.entries()) {
				const file = chunk[index]!;
				if (result instanceof Error) {
					problems.push({path: relative(file), error: `cannot stat file: ${(result as NodeJS.ErrnoException).code ?? result.message}`});
				} else {
					files.push({path: relative(file), absolute: file, size: result.size, mtimeMs: Math.trunc(result.mtimeMs)});
				}
			}
		}

		for (const subdir of subdirs) {
			// eslint-disable-next-line no-await-in-loop
			await visit(subdir);
		}
	};

	await visit(path.resolve(root));
	files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return {files, problems, skipped};
}
