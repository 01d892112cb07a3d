// A library of COUNT files of SIZE bytes of random data (incompressible, like JPEG and HEIC) and a catalog listing them
// with their SHA-256, made once and cached in bench/.data: the bytes-bound benches (verify, backup) read the same kind
// of library.
import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {Catalog} from '../source/db/catalog.js';
import {type Library, libraryAt} from '../source/library.js';
import {emptyRecord} from '../source/scan/analyse-file.js';

/** The cached library `NAME-COUNTxSIZE` in bench/.data, made on first use. */
export function randomLibrary(name: string, count: number, size: number): Library {
	const root = path.resolve(import.meta.dirname, '.data', `${name}-${count}x${size}`);
	const library = libraryAt(root);
	if (fs.existsSync(library.catalogPath)) {
		return library;
	}

	fs.rmSync(root, {recursive: true, force: true});
	fs.mkdirSync(root, {recursive: true});
	const records = [];
	for (let i = 0; i < count; i++) {
		const relative = `${String(Math.floor(i / 50)).padStart(3, '0')}/IMG_${String(i).padStart(5, '0')}.jpg`;
		const absolute = path.join(root, relative);
		fs.mkdirSync(path.dirname(absolute), {recursive: true});
		const bytes = randomBytes(size);
		fs.writeFileSync(absolute, bytes);
		const stat = fs.statSync(absolute);
		records.push({...emptyRecord({path: relative, absolute, size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs)}), sha256: createHash('sha256').update(bytes).digest('hex'), format: 'jpeg' as const, kind: 'image' as const});
	}

	const catalog = Catalog.open(library.catalogPath);
	const scanId = catalog.beginScan();
	catalog.commitBatch({records, moves: [], present: []}, scanId);
	catalog.finishScan(scanId, 'done', {});
	catalog.close();
	return library;
}
