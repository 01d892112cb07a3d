import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {FileRecord} from '../../source/core/types.js';
import {Catalog} from '../../source/db/catalog.js';
import {type Library, libraryAt} from '../../source/library.js';
import {tempDir} from './temp.js';

/** A catalogued file of a small journal test library. */
export type TestFile = {readonly path: string; readonly sha256: string; readonly size: number; readonly bytes: Buffer};

/** A catalog record for bytes at a path (enough of a record for journal tests). */
export function recordFor(relativePath: string, bytes: Buffer): FileRecord {
	return {
		path: relativePath, size: bytes.length, mtimeMs: 1000, sha256: createHash('sha256').update(bytes).digest('hex'), contentHash: null,
		format: 'jpeg', kind: 'image', width: 4, height: 3, orientation: 1, takenAt: null, takenAtSource: null, make: null, model: null,
		lens: null, gps: null, keywords: ['kept'], rating: null, title: null, description: null, software: null, livePhotoId: null,
		burstId: null, phash: null, dhash: null, phashRotations: null, phashCrops: null, signatureCrops: null, contentWidth: null,
		contentHeight: null, signature: null, thumb: null, error: null,
	};
}

/**
 * A real library folder with `count` files of random bytes (`dir/photo-N.jpg`) catalogued in a real SQLite catalog,
 * as a scan would leave them. Random bytes keep every file's content distinct, which the byte-accounting tests need.
 */
export function journalLibrary(count: number, size = 2048): {library: Library; files: TestFile[]} {
	const library = libraryAt(path.join(tempDir(), 'library'));
	const files: TestFile[] = [];
	for (let index = 0; index < count; index++) {
		const relativePath = `${index % 2 === 0 ? 'a' : 'b/deep'}/photo-${index}.jpg`;
		const bytes = randomBytes(size);
		fs.mkdirSync(path.dirname(path.join(library.root, relativePath)), {recursive: true});
		fs.writeFileSync(path.join(library.root, relativePath), bytes);
		files.push({path: relativePath, sha256: createHash('sha256').update(bytes).digest('hex'), size, bytes});
	}

	const catalog = Catalog.open(library.catalogPath);
	catalog.commitBatch({records: files.map(file => recordFor(file.path, file.bytes)), moves: [], present: []}, catalog.beginScan());
	catalog.close();
	return {library, files};
}

/** Every regular file under a folder (recursively), as relative POSIX path → SHA-256, skipping the catalog. */
export function diskState(root: string): Map<string, string> {
	const state = new Map<string, string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			const relative = path.relative(root, full).split(path.sep).join('/');
			if (entry.isDirectory()) {
				walk(full);
			} else if (!relative.startsWith('.curate/catalog.db') && relative !== '.curate/lock' && relative !== '.curate/config.json' && !relative.startsWith('.curate/thumbs/')) {
				state.set(relative, createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
			}
		}
	};

	walk(root);
	return state;
}

/**
 * A "card" folder beside a journal test library (`<tmp>/card`, outside the library) with `count` files of random
 * bytes, as `import --move` finds them. Paths are absolute.
 */
export function journalCard(library: Library, count: number, size = 2048): TestFile[] {
	const dir = cardDirOf(library);
	const files: TestFile[] = [];
	for (let index = 0; index < count; index++) {
		const file = path.join(dir, 'DCIM', `IMG_${index}.JPG`);
		const bytes = randomBytes(size);
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, bytes);
		files.push({path: file, sha256: createHash('sha256').update(bytes).digest('hex'), size, bytes});
	}

	return files;
}

/** Where `journalCard` puts a library's card. */
export function cardDirOf(library: Library): string {
	return path.join(path.dirname(library.root), 'card');
}
