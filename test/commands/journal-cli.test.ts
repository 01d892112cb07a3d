import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {libraryAt} from '../../source/library.js';
import {scanLibrary} from '../../source/scan/scan.js';
import {runCli, runJson} from '../helpers/cli.js';
import {diskState} from '../helpers/journal-library.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {tempDir} from '../helpers/temp.js';

async function scannedSample(): Promise<string> {
	const {root} = await sampleLibrary();
	const catalog = Catalog.open(libraryAt(root).catalogPath);
	try {
		await scanLibrary(libraryAt(root), catalog, {});
	} finally {
		catalog.close();
	}

	return root;
}

/** The library's files outside .curate (path → SHA-256). */
const photos = (root: string) => new Map([...diskState(root)].filter(([file]) => !file.startsWith('.curate/')));

test('dupes --apply keepers trashes the non-keepers; undo brings them back byte-identical; redo re-applies; journal lists all three', async () => {
	const root = await scannedSample();
	const before = photos(root);
	const {json: dupes} = await runJson(['dupes', '--json', '--library', root]);
	const keepers = dupes.clusters.flatMap((cluster: any) => cluster.members.filter((member: any) => member.keeper).map((member: any) => member.path));

	const {result: dry, json: plan} = await runJson(['dupes', '--apply', 'keepers', '--dry-run', '--json', '--library', root]);
	assert.equal(dry.code, 0, dry.stderr);
	assert.deepEqual(photos(root), before, '--dry-run touches nothing');

	const {result, json} = await runJson(['dupes', '--apply', 'keepers', '--json', '--library', root]);
	assert.equal(result.code, 0, result.stderr);
	assert.equal(typeof json.batch, 'number');
	assert.deepEqual(json.trashed, plan.trashed);
	assert.ok(json.trashed.length >= 5, `trashed ${json.trashed.length}`);
	assert.equal(json.bytes, json.trashed.reduce((sum: number, file: string) => sum + fs.statSync(path.join(root, '.curate/trash', String(json.batch), file)).size, 0));
	for (const file of json.trashed) {
		assert.equal(before.get(file), diskState(root).get(`.curate/trash/${json.batch}/${file}`), `${file} is in the trash, intact`);
		assert.equal(fs.existsSync(path.join(root, file)), false);
	}

	for (const keeper of keepers) {
		assert.equal(fs.existsSync(path.join(root, keeper)), true, `keeper ${keeper} stays`);
	}

	const {json: after} = await runJson(['dupes', '--json', '--kind', 'exact', '--library', root]);
	assert.equal(after.clusters.length, 0, 'no exact duplicates left among present files');

	const undo = await runCli(['undo', '--library', root]);
	assert.equal(undo.code, 0, undo.stderr);
	assert.deepEqual(photos(root), before, 'undo restores every file byte-identical to where it was');

	const redo = await runCli(['redo', '--library', root]);
	assert.equal(redo.code, 0, redo.stderr);
	for (const file of json.trashed) {
		assert.equal(fs.existsSync(path.join(root, file)), false);
	}

	const undoAgain = await runCli(['undo', String(json.batch), '--library', root]);
	assert.equal(undoAgain.code, 0, undoAgain.stderr);
	const {json: listing} = await runJson(['journal', '--json', '--library', root]);
	assert.deepEqual(listing.batches.map((batch: any) => [batch.id, batch.state, batch.operations.trash]), [[json.batch, 'undone', json.trashed.length]]);
	assert.match(listing.batches[0].command, /dupes --apply keepers/);

	const nothing = await runCli(['redo', '99', '--library', root]);
	assert.equal(nothing.code, 2);
	assert.match(nothing.stderr, /^curate: no batch 99/);
});

test('journal export from one copy and replay on a second copy give the same files in the same places', async () => {
	const first = await scannedSample();
	const second = await scannedSample();
	await runJson(['dupes', '--apply', 'keepers', '--json', '--library', first]);
	const {json: cluster} = await runJson(['dupes', '--json', '--kind', 'similar', '--library', first]);
	if (cluster.clusters.length > 0) {
		assert.equal((await runCli(['dupes', '--not-duplicates', cluster.clusters[0].id, '--library', first])).code, 0);
	}

	const exported = path.join(tempDir(), 'decisions.jsonl');
	assert.equal((await runCli(['journal', 'export', exported, '--library', first])).code, 0);
	const {result: dry} = await runJson(['journal', 'replay', exported, '--dry-run', '--json', '--library', second]);
	assert.equal(dry.code, 0, dry.stderr);
	assert.notDeepEqual(photos(second), photos(first), 'a dry run changes nothing');

	const {result, json} = await runJson(['journal', 'replay', exported, '--json', '--library', second]);
	assert.equal(result.code, 0, result.stderr);
	assert.equal(json.items.filter((item: any) => item.outcome !== 'applied').length, 0, JSON.stringify(json.items));
	assert.deepEqual(diskState(second), diskState(first), 'the same files in the same places, trash included');

	const again = await runJson(['journal', 'replay', exported, '--json', '--library', second]);
	assert.equal(again.json.batches.length, 0, 'replaying twice changes nothing');
});

test('replay refuses operations with ../ or absolute paths, reports unmatched ones, and touches nothing outside the root', async () => {
	const parent = tempDir();
	const root = path.join(parent, 'library');
	fs.mkdirSync(root);
	fs.writeFileSync(path.join(root, 'a.jpg'), 'photo a');
	fs.writeFileSync(path.join(parent, 'outside.jpg'), 'outside');
	const catalog = Catalog.open(libraryAt(root).catalogPath);
	await scanLibrary(libraryAt(root), catalog, {});
	const sha = catalog.fileByPath('a.jpg')!.sha256!;
	catalog.close();
	const outsideSha = (await import('node:crypto')).createHash('sha256').update('outside').digest('hex');
	const lines = [
		{type: 'curate-journal', version: 1},
		{type: 'batch', uid: 'evil-1', id: 1, createdAt: '', command: 'x', label: 'escape', state: 'applied', operations: [
			{state: 'applied', op: {kind: 'trash', path: '../outside.jpg', sha256: outsideSha, size: 7}},
			{state: 'applied', op: {kind: 'move', from: 'a.jpg', to: '/tmp/stolen.jpg', sha256: sha, size: 7}},
			{state: 'applied', op: {kind: 'move', from: 'a.jpg', to: 'x/../../escaped.jpg', sha256: sha, size: 7}},
			{state: 'applied', op: {kind: 'copy', source: path.join(parent, 'outside.jpg'), to: 'in.jpg', sha256: outsideSha, size: 7}},
			{state: 'applied', op: {kind: 'trash', path: 'gone.jpg', sha256: 'f'.repeat(64), size: 1}},
		]},
	];
	const file = path.join(parent, 'evil.jsonl');
	fs.writeFileSync(file, lines.map(line => JSON.stringify(line)).join('\n'));
	const before = diskState(parent);
	// A path that leaves the root is invalid data (issue 13, A4): the whole file is refused, naming the line and field.
	const refused = await runCli(['journal', 'replay', file, '--json', '--library', root]);
	assert.equal(refused.code, 2);
	assert.equal(refused.stderr, 'curate: evil.jsonl, line 2: operation 1 (trash): field "path" path leaves the library (..); nothing was replayed\n');
	// Without those lines: the copy from outside the library is refused, the trash of a file it lacks unmatched.
	const batch = lines[1] as {operations: unknown[]};
	const kept = path.join(tempDir(), 'evil.jsonl');
	fs.writeFileSync(kept, [lines[0], {...batch, operations: batch.operations.slice(3)}].map(line => JSON.stringify(line)).join('\n'));
	const {result, json} = await runJson(['journal', 'replay', kept, '--json', '--library', root]);
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(json.items.map((item: any) => item.outcome), ['refused', 'unmatched']);
	assert.deepEqual(json.batches, []);
	const after = diskState(parent);
	assert.deepEqual(new Map([...after].filter(([name]) => !name.includes('.curate/'))), new Map([...before].filter(([name]) => !name.includes('.curate/'))));
	assert.equal(fs.existsSync('/tmp/stolen.jpg'), false);
});

test('dupes --not-duplicates goes through the journal, so undo takes it back', async () => {
	const root = await scannedSample();
	const {json} = await runJson(['dupes', '--json', '--library', root]);
	const id = json.clusters[0].id;
	const marked = await runJson(['dupes', '--not-duplicates', id, '--json', '--library', root]);
	assert.equal(typeof marked.json.batch, 'number');
	assert.equal((await runJson(['dupes', '--json', '--library', root])).json.clusters.some((cluster: any) => cluster.id === id), false);
	assert.equal((await runCli(['undo', '--library', root])).code, 0);
	assert.equal((await runJson(['dupes', '--json', '--library', root])).json.clusters.some((cluster: any) => cluster.id === id), true);
});
