/**
 * Journal fuzzing (issue 13): hostile exports for every operation kind, replayed on a real library with a decoy
 * folder beside it. The kinds, their fields and a valid example of each come from the registry of kinds
 * (source/journal/kinds/), so a new kind or field is fuzzed without anyone writing a line here.
 *
 * For every case: a clear refusal (one line, no stack, no TypeError text) or a correct application; no file outside
 * the root changed; every photo's SHA-256 still present at its path or in the trash; the catalog opens, and what
 * `show`, `journal` and `undo` read does not crash.
 */
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {absolutePath, libraryPath, sha256 as shaCheck, sourcePath, trashPath} from '../../source/core/operation-schema.js';
import type {Operation} from '../../source/core/journal.js';
import type {KindDefinition} from '../../source/journal/kind.js';
import {invalidOperation, operationKinds} from '../../source/journal/kinds/index.js';
import {replayJournal} from '../../source/journal/exchange.js';
import {type Journal, openJournal} from '../../source/journal/journal.js';
import type {Catalog} from '../../source/db/catalog.js';
import {UserError} from '../../source/errors.js';
import {runCli} from '../helpers/cli.js';
import {diskState, journalLibrary, type TestFile} from '../helpers/journal-library.js';
import {needsSmallFs, smallFs} from '../helpers/small-fs.js';

after(async () => endExiftool());

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const sidecarBytes = Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>');

type Setup = {readonly root: string; readonly decoy: string; readonly files: readonly TestFile[]};

/**
 * A valid operation of a kind against the fuzz library: the kind's own example (so a new kind is fuzzed without a
 * line here), on photos taken in turn so the kinds do not all aim at the same file.
 */
function sampleOf(kind: KindDefinition<Operation>, index: number, {decoy, files}: Setup): Record<string, unknown> {
	const file = (offset: number) => {
		const found = files[(index + offset) % files.length]!;
		return {path: found.path, sha256: found.sha256, size: found.size};
	};

	const a = file(0);
	return kind.example({photo: a, other: file(1), outside: {path: path.join(decoy, 'card.jpg'), sha256: sha('card'), size: 4}, trashed: {...a, path: `.curate/trash/1/${a.path}`}});
}

const pathChecks = new Set([libraryPath, trashPath, absolutePath, sourcePath]);

/** Hostile values for one field: wrong types always; paths and hashes aimed at what must not be touched. */
function hostileValues(check: unknown, setup: Setup): unknown[] {
	const values: unknown[] = [null, 42, 'text', {}, ['x']];
	const [a, b] = setup.files;
	if (pathChecks.has(check as never)) {
		values.push(
			'../decoy/decoy.txt', `${setup.decoy}/decoy.txt`, 'a/../../decoy/decoy.txt', '', '.curate/catalog.db', '.curate/trash/../../x',
			'link/escaped.jpg', 'link/decoy.txt', a!.path, b!.path, 'nul\0.jpg',
		);
	}

	if (check === shaCheck) {
		values.push('f'.repeat(64), a!.sha256, b!.sha256, 'F'.repeat(64));
	}

	values.push({rating: 'DROP', keywords: 'x'}, {gps: {lat: 'north', lon: 0}}, [['x', 'y']], [{tag: null}]);
	return values;
}

/** Every case: a name and the `op` value of one line (undefined: the line has no `op` at all). */
function* cases(setup: Setup): Generator<[string, unknown]> {
	yield ['op null', null];
	yield ['op missing', undefined];
	yield ['op a list', []];
	yield ['op a string', 'trash'];
	yield ['unknown kind', {kind: 'explode', path: 'a/photo-0.jpg'}];
	yield ['kind null', {kind: null}];
	for (const [index, definition] of operationKinds.entries()) {
		const {kind} = definition;
		const valid = sampleOf(definition, index, setup);
		assert.equal(invalidOperation(valid), undefined, `the example of "${kind}" is valid`);
		yield [`${kind}: valid`, valid];
		yield [`${kind}: extra field`, {...valid, surprise: '../decoy'}];
		for (const [field, spec] of Object.entries(definition.schema)) {
			const {[field]: _, ...without} = valid;
			yield [`${kind}: ${field} missing`, without];
			for (const value of hostileValues(spec.check, setup)) {
				yield [`${kind}: ${field} = ${JSON.stringify(value)?.slice(0, 60)}`, {...valid, [field]: value}];
			}
		}
	}

	// Made-up "before" states and sidecars aimed at photos (issue 13, A1).
	const [a, b] = setup.files;
	const made = Buffer.from('made up');
	const evil = Buffer.from('evil bytes');
	yield ['write-sidecar onto a photo with a made-up before', {
		kind: 'write-sidecar', path: a!.path, before: made.toString('base64'), beforeSha256: a!.sha256, after: evil.toString('base64'), afterSha256: sha(evil), photo: a!.path, photoSha256: a!.sha256,
	}];
	yield ['write-sidecar whose before lies about its bytes', {
		kind: 'write-sidecar', path: `${a!.path}.xmp`, before: made.toString('base64'), beforeSha256: sha(evil), after: evil.toString('base64'), afterSha256: sha(evil), photo: a!.path, photoSha256: a!.sha256,
	}];
	yield ['write-sidecar onto another photo named like a sidecar', {
		kind: 'write-sidecar', path: b!.path.replace(/\.jpg$/, '.xmp'), before: null, beforeSha256: null, after: evil.toString('base64'), afterSha256: sha(evil), photo: b!.path, photoSha256: b!.sha256,
	}];
	yield ['set-fields with a rating of DROP', {kind: 'set-fields', path: b!.path, sha256: b!.sha256, before: {}, after: {rating: 'DROP', keywords: 'x'}}];
	yield ['set-fields with wrong sha', {kind: 'set-fields', path: b!.path, sha256: 'e'.repeat(64), before: {}, after: {rating: 1}}];
	yield ['trash with a made-up sha', {kind: 'trash', path: a!.path, sha256: 'e'.repeat(64), size: 1}];
}

/** SHA-256 of every file in a folder (path → hash), following nothing. */
function folderState(dir: string): string {
	return JSON.stringify([...diskState(dir)].sort());
}

const messageProblems = /TypeError|is not a function|Cannot read|Cannot destructure|undefined \(|\n\s+at /;

async function assertReadable(journal: Journal, catalog: Catalog, where: string): Promise<void> {
	// What `show` reads of each present photo, and what `journal` lists.
	for (const file of catalog.allPresent()) {
		const row = catalog.fileByPath(file.path)!;
		assert.ok(Array.isArray(row.keywords) && row.keywords.every(keyword => typeof keyword === 'string'), `${where}: keywords of ${file.path} readable`);
		assert.ok(row.rating === null || typeof row.rating === 'number', `${where}: rating of ${file.path} readable`);
	}

	for (const batch of journal.list(1000)) {
		assert.equal(['running', 'undoing', 'redoing'].includes(batch.state), false, `${where}: batch ${batch.id} left ${batch.state}`);
	}
}

/** SHA-256s of every regular file under a folder, trash included, never following a link. */
function contentsOf(dir: string, found = new Set<string>()): Set<string> {
	for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			contentsOf(full, found);
		} else if (entry.isFile()) {
			found.add(sha(fs.readFileSync(full)));
		}
	}

	return found;
}

function assertNothingLost(setup: Setup, decoyBefore: string, where: string): void {
	assert.equal(folderState(setup.decoy), decoyBefore, `${where}: a file outside the library changed`);
	const everywhere = contentsOf(setup.root);
	for (const file of setup.files) {
		assert.ok(everywhere.has(file.sha256), `${where}: the bytes of ${file.path} are gone (neither at their path nor in the trash)`);
	}
}

/**
 * The fuzz library lives on a tmpfs when one can be mounted: hundreds of small batches are bound by SQLite's synced
 * commits, which a tmpfs makes free, so the test stays well under a minute on a busy machine.
 */
function fastLibrary(count: number): ReturnType<typeof journalLibrary> {
	if (needsSmallFs) {
		return journalLibrary(count);
	}

	const {dir} = smallFs(256 * 1024 * 1024, 'curate-fuzz-');
	const previous = process.env.TMPDIR;
	process.env.TMPDIR = dir;
	try {
		return journalLibrary(count);
	} finally {
		if (previous === undefined) {
			delete process.env.TMPDIR;
		} else {
			process.env.TMPDIR = previous;
		}
	}
}

test('hostile journal exports of every operation kind are refused or applied correctly; nothing outside the library changes and no photo is lost', async () => {
	const {library, files} = fastLibrary(3);
	const decoy = path.join(path.dirname(library.root), 'decoy');
	fs.mkdirSync(decoy);
	fs.writeFileSync(path.join(decoy, 'decoy.txt'), 'outside the library');
	fs.writeFileSync(path.join(decoy, 'card.jpg'), 'card');
	fs.symlinkSync(decoy, path.join(library.root, 'link'));
	const setup: Setup = {root: library.root, decoy, files};
	const decoyBefore = folderState(decoy);
	const exportFile = path.join(path.dirname(library.root), 'hostile.jsonl');
	const {journal, catalog, close} = await openJournal(library);
	let counted = 0;
	const outcomes = {refused: 0, applied: 0, unmatched: 0};
	try {
		for (const [name, op] of cases(setup)) {
			counted++;
			const line = {type: 'batch', uid: `fuzz-${counted}`, id: counted, createdAt: '2026-12-06T00:00:00Z', command: 'fuzz', label: name, state: 'applied', operations: [op === undefined ? {state: 'applied'} : {state: 'applied', op}]};
			fs.writeFileSync(exportFile, `${JSON.stringify({type: 'curate-journal', version: 1})}\n${JSON.stringify(line)}\n`);
			let result;
			try {
				// eslint-disable-next-line no-await-in-loop
				result = await replayJournal(journal, catalog, exportFile);
			} catch (error) {
				assert.ok(error instanceof UserError, `${name}: not a clear refusal: ${(error as Error).stack}`);
				assert.doesNotMatch(error.message, messageProblems, `${name}: ${error.message}`);
				assert.equal(error.message.includes('\n'), false, `${name}: more than one line`);
				outcomes.refused++;
			}

			for (const item of result?.items ?? []) {
				assert.doesNotMatch(item.reason ?? '', messageProblems, `${name}: ${item.reason}`);
				outcomes[item.outcome === 'applied' ? 'applied' : item.outcome === 'unmatched' ? 'unmatched' : 'refused']++;
			}

			assertNothingLost(setup, decoyBefore, name);
			// eslint-disable-next-line no-await-in-loop
			await assertReadable(journal, catalog, name);
			for (const batch of result?.batches ?? []) {
				// Undo of what was applied works (or refuses clearly), and gives everything back.
				try {
					// eslint-disable-next-line no-await-in-loop
					await journal.undo(batch);
				} catch (error) {
					assert.ok(error instanceof UserError, `${name}: undo: ${(error as Error).stack}`);
				}

				assertNothingLost(setup, decoyBefore, `${name} (undone)`);
			}
		}
	} finally {
		close();
	}

	assert.ok(counted > 200, `only ${counted} cases`);
	assert.ok(outcomes.applied > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
	// The real CLI on the fuzzed library: show, journal and undo run and say something sensible.
	const show = await runCli(['show', files[1]!.path, '--library', library.root], {cwd: library.root});
	assert.equal(show.code, 0, show.stderr);
	const listing = await runCli(['journal', '--library', library.root]);
	assert.equal(listing.code, 0, listing.stderr);
	const undo = await runCli(['undo', '--library', library.root]);
	assert.doesNotMatch(undo.stderr, messageProblems);
	assert.ok(undo.code === 0 || /^curate: /.test(undo.stderr), undo.stderr);
	assertNothingLost(setup, decoyBefore, 'after the CLI');
});

test('a replayed sidecar write through a symlinked .curate-partial or a symlinked trash changes nothing outside the library', async () => {
	const {library, files} = journalLibrary(2);
	const decoy = path.join(path.dirname(library.root), 'decoy');
	fs.mkdirSync(decoy);
	fs.writeFileSync(path.join(decoy, 'decoy.txt'), 'outside the library');
	const decoyBefore = folderState(decoy);
	const [a, b] = files;
	const old = Buffer.from('<old/>');
	fs.writeFileSync(path.join(library.root, `${b!.path}.xmp`), old);
	// The scratch name of a's sidecar, and the whole trash, lead outside.
	fs.symlinkSync(path.join(decoy, 'decoy.txt'), path.join(library.root, `${a!.path}.xmp.curate-partial`));
	fs.mkdirSync(path.join(library.root, '.curate'), {recursive: true});
	fs.symlinkSync(decoy, path.join(library.root, '.curate', 'trash'));
	const exportFile = path.join(path.dirname(library.root), 'hostile.jsonl');
	const op = (photo: TestFile, before: Buffer | null) => ({
		kind: 'write-sidecar', path: `${photo.path}.xmp`, before: before?.toString('base64') ?? null, beforeSha256: before ? sha(before) : null,
		after: sidecarBytes.toString('base64'), afterSha256: sha(sidecarBytes), photo: photo.path, photoSha256: photo.sha256,
	});
	const lines = [
		{type: 'curate-journal', version: 1},
		{type: 'batch', uid: 'partial', createdAt: '', command: 'x', label: 'through the scratch link', state: 'applied', operations: [{state: 'applied', op: op(a!, null)}]},
		{type: 'batch', uid: 'trash', createdAt: '', command: 'x', label: 'through the trash link', state: 'applied', operations: [{state: 'applied', op: op(b!, old)}]},
		{type: 'batch', uid: 'trash-op', createdAt: '', command: 'x', label: 'trash through the link', state: 'applied', operations: [{state: 'applied', op: {kind: 'trash', path: a!.path, sha256: a!.sha256, size: a!.size}}]},
	];
	fs.writeFileSync(exportFile, lines.map(line => JSON.stringify(line)).join('\n'));
	const {json, result} = await (await import('../helpers/cli.js')).runJson(['journal', 'replay', exportFile, '--json', '--library', library.root]);
	assert.equal(result.code, 0, result.stderr);
	assert.equal(folderState(decoy), decoyBefore, 'nothing outside the library changed');
	const outcomes = json.items.map((item: any) => item.outcome);
	// The scratch link is removed, never written through; the write itself is fine.
	assert.equal(outcomes[0], 'applied', JSON.stringify(json.items));
	assert.deepEqual(fs.readFileSync(path.join(library.root, `${a!.path}.xmp`)), sidecarBytes);
	// Replacing b's sidecar would keep the old one in the trash, which leads outside: refused.
	assert.deepEqual(outcomes.slice(1), ['refused', 'refused'], JSON.stringify(json.items));
	assert.match(json.items[1].reason, /symbolic link/);
	assert.deepEqual(fs.readFileSync(path.join(library.root, `${b!.path}.xmp`)), old);
	assert.deepEqual(fs.readFileSync(path.join(library.root, a!.path)), a!.bytes);
});
