// Child process of the kill-and-recover test: applies a batch to a journal test library, then undoes it, with the
// test-only CURATE_TEST_KILL_AT hook stopping it by SIGKILL at one checkpoint. Without the hook it prints how many
// checkpoints the whole run passed. The scenario (argv[3]):
// - `trash-move`: trashes and moves every catalogued file;
// - `move-in`: moves the files of the card beside the library in (as `import --move`), catalogues them as import
//   does, then undoes the batch;
// - `copy-sidecar`: copies a card file and a library file to new library paths, creates one XMP sidecar and rewrites
//   another (with their photos' ratings), then undoes the batch;
// - `every-kind`: applies the example of every registered kind that can be undone (in an `everyKindLibrary`) as one
//   batch and undoes it, then applies the examples of the kinds that cannot (purge) as a batch of their own. With
//   CURATE_TEST_SNAPSHOT it writes the catalog as it was after the first batch to that file.
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {libraryAt} from '../../source/library.js';
import {checkpointCount} from '../../source/journal/disk.js';
import {openJournal, type Operation} from '../../source/journal/journal.js';
import type {ExampleLibrary} from '../../source/journal/kind.js';
import {operationKinds} from '../../source/journal/kinds/index.js';
import {endExiftool} from '../../source/adapters/exif.js';
import {catalogSnapshot, examplesFileOf} from './every-kind.js';
import {cardDirOf, recordFor} from './journal-library.js';

const library = libraryAt(process.argv[2]!);
const scenario = process.argv[3] ?? 'trash-move';
const {journal, catalog, close} = await openJournal(library);
if (scenario === 'move-in') {
	const dir = path.join(cardDirOf(library), 'DCIM');
	const operations: Operation[] = fs.readdirSync(dir).sort().map(name => {
		const bytes = fs.readFileSync(path.join(dir, name));
		return {kind: 'move-in', source: path.join(dir, name), to: `in/${name}`, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length};
	});
	await journal.apply({command: 'kill-test', label: 'move the card in', operations});
	const records = operations.map(op => recordFor((op as {to: string}).to, fs.readFileSync(path.join(library.root, (op as {to: string}).to))));
	catalog.commitBatch({records, moves: [], present: []}, catalog.beginScan());
} else if (scenario === 'every-kind') {
	const examples = JSON.parse(fs.readFileSync(examplesFileOf(library.root), 'utf8')) as Record<string, ExampleLibrary>;
	const example = (kind: (typeof operationKinds)[number]) => kind.example(examples[kind.kind]!);
	await journal.apply({command: 'kill-test', label: 'one of every kind', operations: operationKinds.filter(kind => kind.undoable).map(example)});
	if (process.env.CURATE_TEST_SNAPSHOT) {
		fs.writeFileSync(process.env.CURATE_TEST_SNAPSHOT, catalogSnapshot(catalog));
	}

	await journal.undo();
	const final = operationKinds.filter(kind => !kind.undoable).map(example);
	if (final.length > 0) {
		await journal.apply({command: 'kill-test', label: 'the kinds that cannot be undone', operations: final});
	}

	await endExiftool();
	close();
	process.stdout.write(`${checkpointCount()}\n`);
	process.exit(0);
} else if (scenario === 'copy-sidecar') {
	const [first, second] = catalog.allPresent();
	const card = path.join(cardDirOf(library), 'DCIM', 'IMG_0.JPG');
	const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
	const cardBytes = fs.readFileSync(card);
	const old = fs.readFileSync(path.join(library.root, `${second!.path}.xmp`));
	const created = Buffer.from('<x:xmpmeta xmp:Rating="4"/>');
	const rewritten = Buffer.from('<x:xmpmeta xmp:Rating="2"/>');
	const operations: Operation[] = [
		{kind: 'copy', source: card, to: 'in/IMG_0.JPG', sha256: sha(cardBytes), size: cardBytes.length},
		{kind: 'copy', source: first!.path, to: `copies/${path.basename(first!.path)}`, sha256: first!.sha256!, size: first!.size},
		{kind: 'write-sidecar', path: `${first!.path}.xmp`, before: null, beforeSha256: null, after: created.toString('base64'), afterSha256: sha(created), photo: first!.path, fieldsBefore: {rating: null}, fieldsAfter: {rating: 4}},
		{kind: 'write-sidecar', path: `${second!.path}.xmp`, before: old.toString('base64'), beforeSha256: sha(old), after: rewritten.toString('base64'), afterSha256: sha(rewritten), photo: second!.path, fieldsBefore: {rating: null}, fieldsAfter: {rating: 2}},
	];
	await journal.apply({command: 'kill-test', label: 'copies and sidecars', operations});
} else {
	const operations: Operation[] = catalog.allPresent().map((file, index) =>
		index % 2 === 0
			? {kind: 'trash', path: file.path, sha256: file.sha256!, size: file.size}
			: {kind: 'move', from: file.path, to: `moved/${file.path}`, sha256: file.sha256!, size: file.size},
	);
	await journal.apply({command: 'kill-test', label: 'trash and move everything', operations});
}

await journal.undo();
close();
process.stdout.write(`${checkpointCount()}\n`);
