/**
 * A journal test library with room for one example operation of every registered kind (issue 14): per kind, its own
 * catalogued photo (a real JPEG, so exiftool can write into it), its own file on a card outside the library and its
 * own file in the trash (left by a setup batch), plus one more photo any kind may refer to. Content is made the same
 * way on every call, so two libraries built by it hold the same bytes and the same catalog.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type {Operation} from '../../source/core/journal.js';
import type {Catalog} from '../../source/db/catalog.js';
import type {ExampleLibrary} from '../../source/journal/kind.js';
import {operationKinds} from '../../source/journal/kinds/index.js';
import {openJournal} from '../../source/journal/journal.js';
import {libraryAt} from '../../source/library.js';
import {type TestFile, cardDirOf, journalLibrary, recordFor} from './journal-library.js';
import {connectionOf} from '../../source/db/connection.js';

/** Where the examples of a library are written (beside the library, read by the kill test's child). */
export const examplesFileOf = (root: string) => path.join(path.dirname(root), 'examples.json');

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A small JPEG of one colour; `index` picks the colour, so every file differs. */
async function jpeg(index: number): Promise<Buffer> {
	const background = {r: (index * 37) % 256, g: (index * 91 + 40) % 256, b: (index * 53 + 80) % 256};
	return sharp({create: {width: 8, height: 8, channels: 3, background}}).jpeg({quality: 90}).toBuffer();
}

/** Builds the library; returns its root, its catalogued files, the card's files and each kind's example library. */
export async function everyKindLibrary(): Promise<{root: string; files: TestFile[]; card: TestFile[]; examples: Record<string, ExampleLibrary>}> {
	const {library} = journalLibrary(0);
	const files: TestFile[] = [];
	const card: TestFile[] = [];
	const add = async (relativePath: string, index: number) => {
		const bytes = await jpeg(index);
		fs.mkdirSync(path.dirname(path.join(library.root, relativePath)), {recursive: true});
		fs.writeFileSync(path.join(library.root, relativePath), bytes);
		const file = {path: relativePath, sha256: sha(bytes), size: bytes.length, bytes};
		files.push(file);
		return file;
	};

	const other = await add('kinds/other.jpg', 0);
	const trashed: TestFile[] = [];
	for (const [index, {kind}] of operationKinds.entries()) {
		// eslint-disable-next-line no-await-in-loop
		await add(`kinds/${kind}/photo.jpg`, 3 * index + 1);
		// eslint-disable-next-line no-await-in-loop
		trashed.push(await add(`kinds/${kind}/trashed.jpg`, 3 * index + 2));
		// eslint-disable-next-line no-await-in-loop
		const bytes = await jpeg(3 * index + 3);
		const file = path.join(cardDirOf(library), 'DCIM', `${kind}.JPG`);
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, bytes);
		card.push({path: file, sha256: sha(bytes), size: bytes.length, bytes});
	}

	const {journal, catalog, close} = await openJournal(libraryAt(library.root));
	try {
		catalog.commitBatch({records: files.map(file => recordFor(file.path, file.bytes)), moves: [], present: []}, catalog.beginScan());
		const operations: Operation[] = trashed.map(file => ({kind: 'trash', path: file.path, sha256: file.sha256, size: file.size}));
		const {batch} = await journal.apply({command: 'setup', label: 'files for the purges', operations});
		const examples: Record<string, ExampleLibrary> = {};
		for (const [index, {kind}] of operationKinds.entries()) {
			const photo = files.find(file => file.path === `kinds/${kind}/photo.jpg`)!;
			const inTrash = trashed[index]!;
			examples[kind] = {
				photo: {path: photo.path, sha256: photo.sha256, size: photo.size},
				other: {path: other.path, sha256: other.sha256, size: other.size},
				outside: {path: card[index]!.path, sha256: card[index]!.sha256, size: card[index]!.size},
				trashed: {path: `.curate/trash/${batch}/${inTrash.path}`, sha256: inTrash.sha256, size: inTrash.size},
			};
		}

		fs.writeFileSync(examplesFileOf(library.root), JSON.stringify(examples));
		return {root: library.root, files: files.filter(file => !trashed.includes(file)), card, examples};
	} finally {
		close();
	}
}

/**
 * What the catalog says about the photos, as text to compare: present files with their fields, "not duplicates"
 * pairs and tag rows (without ids and times, which differ between runs).
 */
export function catalogSnapshot(catalog: Catalog): string {
	const files = catalog.allPresent().map(file => {
		const row = catalog.fileByPath(file.path)!;
		return [file.path, file.sha256, row.rating, row.keywords, row.title, row.description];
	});
	const tags = connectionOf(catalog).prepare('SELECT sha256, tag, source, state, confidence FROM tags ORDER BY sha256, tag, source').all();
	return JSON.stringify({files: files.sort(), pairs: [...catalog.distinctPairs()].sort(), tags});
}
