import {isUtf8} from 'node:buffer';
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
 * A file name as a user can read it: valid UTF-8 is kept, every byte that is not part of a valid UTF-8 sequence
 * becomes `\xNN`. Names are bytes on Linux; Node would otherwise turn each bad byte into U+FFFD, a name no call can
 * open again.
 */
export function escapeName(bytes: Uint8Array): string {
	let out = '';
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i]!;
		const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
		let valid = need >= 0 && i + need < bytes.length;
		for (let k = 1; valid && k <= need; k++) {
			valid = (bytes[i + k]! & 0xc0) === 0x80;
		}

		// Overlong three- and four-byte forms, UTF-16 surrogates and code points above U+10FFFF are not UTF-8 either.
		if (valid && need >= 2) {
			valid = isUtf8(bytes.subarray(i, i + need + 1));
		}

		if (valid) {
			out += Buffer.from(bytes.subarray(i, i + need + 1)).toString('utf8');
			i += need + 1;
		} else {
			out += `\\x${b.toString(16).padStart(2, '0')}`;
			i++;
		}
	}

	return out;
}

/** What to do about a name the catalog cannot hold. */
const notUtf8Advice = 'rename it to a valid UTF-8 name (convmv -f latin1 -t utf-8 converts old names) and scan again';

/**
 * Walks the library (or the folder `under` of it) and returns every media file with its size and mtime, paths
 * relative to `root`. Symbolic links are not followed unless asked, and when they are, each real folder is entered
 * once, so link loops end. Unreadable folders and files, and files whose names are not valid UTF-8 (which the catalog
 * cannot hold), become problems, not failures and never silence.
 */
export async function walkLibrary(
	root: string,
	options: {
		readonly ignore?: readonly string[];
		readonly followSymlinks?: boolean;
		readonly allFiles?: boolean;
		/** A folder inside `root` (relative, `/` separators): walk only it. */
		readonly under?: string;
		/** Stops the walk early (Ctrl-C while walking a large NAS share). */
		readonly signal?: AbortSignal;
	} = {},
): Promise<{files: WalkedFile[]; problems: WalkProblem[]; skipped: number}> {
	const isIgnored = ignoreMatcher(options.ignore ?? defaultIgnores);
	const files: WalkedFile[] = [];
	const problems: WalkProblem[] = [];
	const seenDirs = new Set<string>();
	let skipped = 0;

	const relative = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/');
	const wantedName = (name: string) => {
		if (options.allFiles || mediaExtensions.has(path.extname(name).slice(1).toLowerCase())) {
			return true;
		}

		skipped++;
		return false;
	};

	/** Reports every wanted file at or below an entry whose name (or folder's name) is not valid UTF-8. */
	const reportUnnamable = async (absolute: Buffer, shown: string, reason: string, isDirectory: boolean): Promise<void> => {
		if (!isDirectory) {
			if (wantedName(shown)) {
				problems.push({path: shown, error: `${reason}, so it is not catalogued: ${notUtf8Advice}`});
			}

			return;
		}

		let entries;
		try {
			entries = await fs.promises.readdir(absolute, {withFileTypes: true, encoding: 'buffer'});
		} catch (error) {
			problems.push({path: shown, error: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`});
			return;
		}

		for (const entry of entries) {
			const name = escapeName(entry.name);
			if (isIgnored(name) || (entry.isSymbolicLink() && !options.followSymlinks)) {
				continue;
			}

			const child = Buffer.concat([absolute, Buffer.from('/'), entry.name]);
			// eslint-disable-next-line no-await-in-loop
			await reportUnnamable(child, `${shown}/${name}`, reason, entry.isDirectory());
		}
	};

	const visit = async (dir: string): Promise<void> => {
		if (options.signal?.aborted) {
			return;
		}

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
			// Names as bytes: a name that is not valid UTF-8 would otherwise arrive with U+FFFD in it and fail every stat.
			entries = await fs.promises.readdir(dir, {withFileTypes: true, encoding: 'buffer'});
		} catch (error) {
			problems.push({path: relative(dir) || '.', error: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`});
			return;
		}

		const subdirs: string[] = [];
		const candidates: string[] = [];
		for (const entry of entries) {
			if (!isUtf8(entry.name)) {
				const shown = escapeName(entry.name);
				if (isIgnored(shown)) {
					continue;
				}

				const absolute = Buffer.concat([Buffer.from(dir), Buffer.from(path.sep), entry.name]);
				let isDirectory = entry.isDirectory();
				if (entry.isSymbolicLink()) {
					if (!options.followSymlinks) {
						skipped++;
						continue;
					}

					// eslint-disable-next-line no-await-in-loop
					isDirectory = await fs.promises.stat(absolute).then(target => target.isDirectory(), () => false);
				}

				const where = relative(dir);
				// eslint-disable-next-line no-await-in-loop
				await reportUnnamable(absolute, where ? `${where}/${shown}` : shown, isDirectory ? 'folder name is not valid UTF-8' : 'file name is not valid UTF-8', isDirectory);
				continue;
			}

			const name = entry.name.toString('utf8');
			if (isIgnored(name)) {
				continue;
			}

			const absolute = path.join(dir, name);
			if (entry.isSymbolicLink()) {
				if (!options.followSymlinks) {
					skipped++;
					continue;
				}

				try {
					// eslint-disable-next-line no-await-in-loop
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

		const wanted = candidates.filter(file => wantedName(file));

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

	await visit(path.resolve(root, ...(options.under ? options.under.split('/') : [])));
	files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return {files, problems, skipped};
}
