/**
 * Regression tests for issue 13's journal items (A1, A3, A4, A7, A8, item 21's empty folders), each named after what
 * the user saw. Real libraries, real SQLite, the real CLI.
 */
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {JournalStore} from '../../source/db/journal-store.js';
import {Journal, openJournal} from '../../source/journal/journal.js';
import {runCli, runJson} from '../helpers/cli.js';
import {diskState, journalLibrary, recordFor, type TestFile} from '../helpers/journal-library.js';

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const header = {type: 'curate-journal', version: 1};
const batchLine = (uid: string, ops: unknown[]) => ({type: 'batch', uid, id: 1, createdAt: '2026-12-06T00:00:00Z', command: 'edit', label: uid, state: 'applied', operations: ops.map(op => ({state: 'applied', op}))});

function writeExport(dir: string, lines: unknown[]): string {
	const file = path.join(dir, 'crafted.jsonl');
	fs.writeFileSync(file, lines.map(line => JSON.stringify(line)).join('\n') + '\n');
	return file;
}

const sidecarOp = (photo: TestFile, sidecar: string, before: Buffer | null, after: Buffer, fields: {before?: unknown; after?: unknown} = {}) => ({
	kind: 'write-sidecar', path: sidecar, before: before?.toString('base64') ?? null, beforeSha256: before ? sha(before) : null,
	after: after.toString('base64'), afterSha256: sha(after), photo: photo.path, photoSha256: photo.sha256,
	...(fields.before ? {fieldsBefore: fields.before} : {}), ...(fields.after ? {fieldsAfter: fields.after} : {}),
});

test('a replayed sidecar line aimed at a photo leaves the photo intact and is refused', async () => {
	const {library, files} = journalLibrary(2);
	const [photo, other] = files;
	const madeUp = Buffer.from('made-up before');
	const text = Buffer.from('<x:xmpmeta>the line\'s text</x:xmpmeta>');
	const attacks = [
		// The line: the photo's own path, its real SHA-256 as "before", made-up before bytes.
		{kind: 'write-sidecar', path: photo!.path, before: madeUp.toString('base64'), beforeSha256: photo!.sha256, after: text.toString('base64'), afterSha256: sha(text), photo: photo!.path, photoSha256: photo!.sha256},
		// The same without a photo named, and aimed at another photo.
		{kind: 'write-sidecar', path: photo!.path, before: null, beforeSha256: null, after: text.toString('base64'), afterSha256: sha(text)},
		{kind: 'write-sidecar', path: other!.path, before: null, beforeSha256: null, after: text.toString('base64'), afterSha256: sha(text), photo: photo!.path, photoSha256: photo!.sha256},
	];
	for (const [index, attack] of attacks.entries()) {
		const file = writeExport(path.dirname(library.root), [header, batchLine(`attack-${index}`, [attack])]);
		const before = diskState(library.root);
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli(['journal', 'replay', file, '--library', library.root]);
		assert.equal(result.code, 2, result.stdout + result.stderr);
		assert.match(result.stderr, /^curate: crafted\.jsonl, line 2: operation 1 \(write-sidecar\): .+; nothing was replayed\n$/);
		assert.deepEqual(diskState(library.root), before, `attack ${index}: nothing changed`);
	}

	assert.deepEqual(fs.readFileSync(path.join(library.root, photo!.path)), photo!.bytes);
	assert.deepEqual(fs.readFileSync(path.join(library.root, other!.path)), other!.bytes);
	const undo = await runCli(['undo', '--library', library.root]);
	assert.match(undo.stderr, /^curate: nothing to undo/);
});

test('a sidecar rewritten by the journal keeps its old bytes in the trash, and undo brings them back byte for byte', async () => {
	const {library, files} = journalLibrary(1);
	const [photo] = files;
	const sidecar = `${photo!.path}.xmp`;
	const old = Buffer.from('<old rating="1"/>');
	const next = Buffer.from('<new rating="5"/>');
	fs.writeFileSync(path.join(library.root, sidecar), old);
	const {journal, close} = await openJournal(library);
	try {
		const result = await journal.apply({command: 'test', label: 'rewrite', operations: [sidecarOp(photo!, sidecar, old, next) as never]});
		assert.deepEqual(fs.readFileSync(path.join(library.root, sidecar)), next);
		assert.deepEqual(fs.readFileSync(path.join(library.trashDir, String(result.batch), sidecar)), old, 'the replaced sidecar went to the trash first');
		assert.equal((journal.operations(result.batch)[0]!.op as {photoSha256?: string}).photoSha256, photo!.sha256, 'the photo\'s content is recorded, for replay');
		await journal.undo();
		assert.deepEqual(fs.readFileSync(path.join(library.root, sidecar)), old);
		await journal.redo();
		assert.deepEqual(fs.readFileSync(path.join(library.root, sidecar)), next);
	} finally {
		close();
	}
});

test('replaying an edit into a library where the photo was renamed and another is missing writes beside the renamed photo, reports the other unmatched, and creates no folder or orphan sidecar', async () => {
	const first = journalLibrary(2);
	const [kept, missing] = first.files;
	const after = Buffer.from('<x:xmpmeta rating="4"/>');
	{
		const {journal, close} = await openJournal(first.library);
		try {
			await journal.apply({command: 'edit', label: 'rate two', operations: [
				sidecarOp(kept!, `${kept!.path}.xmp`, null, after, {before: {rating: null}, after: {rating: 4}}) as never,
				sidecarOp(missing!, `${missing!.path}.xmp`, null, after, {before: {rating: null}, after: {rating: 4}}) as never,
			]});
		} finally {
			close();
		}
	}

	const exported = path.join(path.dirname(first.library.root), 'edit.jsonl');
	assert.equal((await runCli(['journal', 'export', exported, '--library', first.library.root])).code, 0);

	// The second library has the first photo under another name, and not the second at all.
	const second = journalLibrary(0);
	fs.mkdirSync(path.join(second.library.root, 'renamed'), {recursive: true});
	fs.writeFileSync(path.join(second.library.root, 'renamed/holiday.jpg'), kept!.bytes);
	const catalog = Catalog.open(second.library.catalogPath);
	catalog.commitBatch({records: [recordFor('renamed/holiday.jpg', kept!.bytes)], moves: [], present: []}, catalog.beginScan());
	catalog.close();
	const folders = () => fs.readdirSync(second.library.root).filter(name => name !== '.curate').sort();
	const before = folders();
	const {result, json} = await runJson(['journal', 'replay', exported, '--json', '--library', second.library.root]);
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(json.items.map((item: any) => item.outcome), ['applied', 'unmatched']);
	assert.deepEqual(fs.readFileSync(path.join(second.library.root, 'renamed/holiday.jpg.xmp')), after, 'the sidecar goes beside the photo with that content');
	assert.deepEqual(folders(), before, 'no folder was created');
	assert.equal(fs.existsSync(path.join(second.library.root, kept!.path)), false);
	assert.equal(fs.existsSync(path.join(second.library.root, `${missing!.path}.xmp`)), false, 'no orphan sidecar');
});

test('journal export BATCH exports only that batch', async () => {
	const {library, files} = journalLibrary(2);
	{
		const {journal, close} = await openJournal(library);
		try {
			for (const file of files) {
				// eslint-disable-next-line no-await-in-loop
				await journal.apply({command: 'test', label: `trash ${file.path}`, operations: [{kind: 'trash', path: file.path, sha256: file.sha256, size: file.size}]});
			}
		} finally {
			close();
		}
	}

	const one = await runCli(['journal', 'export', '2', '--library', library.root]);
	assert.equal(one.code, 0, one.stderr);
	const lines = one.stdout.trim().split('\n').map(line => JSON.parse(line));
	assert.deepEqual(lines.slice(1).map(line => [line.id, line.label]), [[2, `trash ${files[1]!.path}`]]);
	const all = await runCli(['journal', 'export', '--library', library.root]);
	assert.equal(all.stdout.trim().split('\n').length, 3, 'without a batch, every batch');
	const none = await runCli(['journal', 'export', '9', '--library', library.root]);
	assert.equal(none.code, 2);
	assert.match(none.stderr, /^curate: no batch 9 in the journal/);
});

test('replayed lines with a null operation, an unknown kind or wrong-typed fields are refused with the line and the field, changing nothing', async () => {
	const {library, files} = journalLibrary(2);
	const [a, b] = files;
	const good = {kind: 'trash', path: a!.path, sha256: a!.sha256, size: a!.size};
	const cases: Array<[unknown, RegExp]> = [
		[null, /line 3: not a batch: field "operations\[0\]\.op" is missing \(null\)/],
		[{kind: 'explode'}, /line 3: operation 1 \(explode\): field "kind" is not a known operation/],
		[{kind: 'mark-not-duplicate', pairs: 'ab'}, /line 3: operation 1 \(mark-not-duplicate\): field "pairs" must be a list/],
		[{kind: 'set-tags', sha256: a!.sha256, changes: {}}, /field "changes" must be a list/],
		[{kind: 'set-tags', sha256: a!.sha256, changes: [{tag: 'x', source: 'user', before: null, after: {state: 'confirmed'}}]}, /field "changes\[0\]\.after\.confidence" is missing/],
		[{kind: 'set-fields', path: b!.path, sha256: b!.sha256, before: {}, after: {rating: 'DROP', keywords: 'x'}}, /field "after\.keywords" must be a list of strings/],
		[{kind: 'set-fields', path: b!.path, sha256: b!.sha256, before: {}, after: {rating: 'DROP'}}, /field "after\.rating" must be a whole number from -1 to 5/],
		[{kind: 'write-embedded', path: b!.path, sha256: b!.sha256, write: {keywords: [1]}}, /field "write\.keywords\[0\]" must be a string/],
	];
	for (const [op, expected] of cases) {
		// The good line comes first: it must not run either.
		const file = writeExport(path.dirname(library.root), [header, batchLine('good', [good]), batchLine('bad', [op])]);
		const before = diskState(library.root);
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli(['journal', 'replay', file, '--library', library.root]);
		assert.equal(result.code, 2, result.stderr);
		assert.match(result.stderr, expected);
		assert.equal(result.stderr.split('\n').length, 2, `one line: ${result.stderr}`);
		assert.doesNotMatch(result.stderr, /TypeError|is not a function|Cannot (read|destructure)/);
		assert.deepEqual(diskState(library.root), before);
	}

	const listing = await runJson(['journal', '--json', '--library', library.root]);
	assert.deepEqual(listing.json.batches, [], 'no batch was even started');
});

test('a set-fields with rating "DROP" cannot reach the catalog, and a stored one no longer leaves its batch undoing at every open', async () => {
	const {library, files} = journalLibrary(1);
	const [photo] = files;
	const catalog = Catalog.open(library.catalogPath);
	try {
		const store = new JournalStore(catalog);
		assert.throws(() => store.setFields(photo!.path, {rating: 'DROP', keywords: 'x'} as never), /field "keywords" must be a list of strings/);
		// A batch a previous version stored before values were checked, stopped in the middle of its undo.
		const batch = store.createBatch({uid: 'old', command: 'journal replay', label: 'bad values'});
		store.addOperation(batch, 0, {kind: 'set-fields', path: photo!.path, sha256: photo!.sha256, before: {}, after: {rating: 'DROP', keywords: 'x'}} as never);
		store.setBatchState(batch, 'undoing');
		const journal = await Journal.open(library, catalog);
		assert.equal(journal.store.batch(batch)!.state, 'failed');
		assert.match(journal.store.batch(batch)!.reason!, /is not valid: field "after\.keywords" must be a list of strings/);
		assert.deepEqual((await Journal.open(library, catalog)).recovered, [], 'recovered once, not at every open');
		assert.deepEqual(catalog.fileByPath(photo!.path)!.keywords, ['kept']);
	} finally {
		catalog.close();
	}

	const show = await runCli(['show', photo!.path, '--library', library.root], {cwd: library.root});
	assert.equal(show.code, 0, show.stderr);
	const undo = await runCli(['undo', '1', '--library', library.root]);
	assert.match(undo.stderr, /^curate: batch 1 is failed; only an applied batch can be undone\n$/);
});

test('a batch killed before its first operation was recorded ends rolled-back, not "applied … (no operations)"', async () => {
	const {library} = journalLibrary(1);
	const catalog = Catalog.open(library.catalogPath);
	try {
		new JournalStore(catalog).createBatch({uid: 'killed', command: 'organize --apply', label: 'organize: move 90 files'});
	} finally {
		catalog.close();
	}

	const {json} = await runJson(['journal', '--json', '--library', library.root]);
	assert.equal(json.batches[0].state, 'running', 'a reader does not recover');
	const undo = await runCli(['undo', '--library', library.root]);
	assert.match(undo.stderr, /recovered an interrupted batch 1 .*batch ended rolled-back/);
	const after = await runCli(['journal', '--library', library.root]);
	assert.match(after.stdout, /rolled-back organize: move 90 files {2}\(no operations\)/);
	assert.doesNotMatch(after.stdout, /applied/);
});

test('undo of a batch of moves removes the folders the batch created, and keeps folders that existed before or now hold a file', async () => {
	const {library, files} = journalLibrary(4);
	const before = fs.readdirSync(library.root).sort();
	const {journal, close} = await openJournal(library);
	try {
		const moves = [
			{kind: 'move' as const, from: files[0]!.path, to: '2019/2019-05-03 Paris/photo-0.jpg', sha256: files[0]!.sha256, size: files[0]!.size},
			{kind: 'move' as const, from: files[1]!.path, to: '2019/2019-05-03 Paris/photo-1.jpg', sha256: files[1]!.sha256, size: files[1]!.size},
			// Into a folder that existed before the batch.
			{kind: 'move' as const, from: files[2]!.path, to: 'b/photo-2.jpg', sha256: files[2]!.sha256, size: files[2]!.size},
			{kind: 'copy' as const, source: files[3]!.path, to: '2020/copies/photo-3.jpg', sha256: files[3]!.sha256, size: files[3]!.size},
		];
		const result = await journal.apply({command: 'organize --apply', label: 'organize', operations: moves});
		assert.ok(fs.existsSync(path.join(library.root, '2019/2019-05-03 Paris')));
		await journal.undo(result.batch);
		assert.deepEqual(fs.readdirSync(library.root).sort(), before, 'the folders the batch made are gone');
		assert.ok(fs.existsSync(path.join(library.root, 'b/deep')), 'a folder that existed stays');

		// Redo makes them again; a file the user puts in one keeps that folder through the next undo.
		await journal.redo(result.batch);
		fs.writeFileSync(path.join(library.root, '2020/mine.txt'), 'mine');
		await journal.undo(result.batch);
		assert.equal(fs.existsSync(path.join(library.root, '2019')), false);
		assert.equal(fs.existsSync(path.join(library.root, '2020/copies')), false);
		assert.equal(fs.readFileSync(path.join(library.root, '2020/mine.txt'), 'utf8'), 'mine', 'a folder holding anything stays');
	} finally {
		close();
	}
});

test('a batch of moves refused because a file changed creates no folder', async () => {
	const {library, files} = journalLibrary(2);
	const before = fs.readdirSync(library.root).sort();
	const {journal, close} = await openJournal(library);
	try {
		fs.writeFileSync(path.join(library.root, files[1]!.path), 'changed after planning');
		await assert.rejects(journal.apply({command: 'organize --apply', label: 'organize', operations: [
			{kind: 'move', from: files[0]!.path, to: 'new/deeper/photo-0.jpg', sha256: files[0]!.sha256, size: files[0]!.size},
			{kind: 'move', from: files[1]!.path, to: 'new/deeper/photo-1.jpg', sha256: files[1]!.sha256, size: files[1]!.size},
		]}), /refused, nothing changed/);
		assert.deepEqual(fs.readdirSync(library.root).sort(), before);
	} finally {
		close();
	}
});
