import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runCli, runJson} from '../helpers/cli.js';
import {scanRoot, withCatalog} from '../helpers/scanned.js';
import {copyTree, corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Flips one byte in the middle of a file and puts its mtime back, as a decaying sector would. */
function rot(file: string): void {
	const stat = fs.statSync(file);
	const bytes = fs.readFileSync(file);
	bytes[Math.floor(bytes.length / 2)] ^= 0x01;
	fs.writeFileSync(file, bytes);
	fs.utimesSync(file, stat.atimeMs / 1000, stat.mtimeMs / 1000);
}

// Every file of the corpus, not a chosen few: a new camera in ../shared/photos is tested without anyone writing a line.
test('every corpus photo survives backup, verify --backup, bit rot, restore --damaged and undo', {skip: needsCorpus}, async () => {
	const root = path.join(tempDir(), 'library');
	copyTree(corpusDir, root);
	await scanRoot(root);
	const files = withCatalog(root, catalog => catalog.allPresent()).filter(file => file.sha256);
	const onDisk = fs.readdirSync(root, {recursive: true, encoding: 'utf8'}).filter(name => !name.startsWith('.curate') && fs.statSync(path.join(root, name)).isFile());
	assert.ok(files.length >= onDisk.length - 1, `the scan catalogued ${files.length} of the corpus's ${onDisk.length} files`);

	const target = path.join(tempDir(), 'backup');
	const backup = await runJson(['backup', '--to', target, '--json'], {cwd: root});
	assert.equal(backup.result.code, 0, backup.result.stderr);
	assert.deepEqual(backup.json.errors, []);
	const clean = await runJson(['verify', '--backup', target, '--json'], {cwd: root});
	assert.equal(clean.result.code, 0, clean.result.stderr);
	assert.deepEqual([clean.json.damaged, clean.json.modified, clean.json.missing, clean.json.unreadable], [[], [], [], []]);
	assert.equal(clean.json.ok, files.length);

	// A 0-byte file has no byte to flip; every other file rots.
	const rotting = files.filter(file => file.size > 0);
	assert.ok(rotting.length >= files.length - 1);
	const damaged = new Map<string, string>();
	for (const file of rotting) {
		rot(path.join(root, file.path));
		damaged.set(file.path, sha(path.join(root, file.path)));
	}

	const found = await runJson(['verify', '--json'], {cwd: root});
	assert.deepEqual(found.json.damaged.map((finding: any) => finding.path).sort(), rotting.map(file => file.path).sort(), 'verify finds every flipped byte');

	const restore = await runJson(['restore', '--damaged', '--from', target, '--json'], {cwd: root});
	assert.equal(restore.result.code, 0, restore.result.stderr);
	assert.equal(restore.json.restored.length, rotting.length);
	for (const file of files) {
		assert.equal(sha(path.join(root, file.path)), file.sha256, `${file.path}: the catalogued bytes are back`);
	}

	const intact = await runJson(['verify', '--json'], {cwd: root});
	assert.deepEqual([intact.json.damaged, intact.json.missing], [[], []]);

	const undo = await runCli(['undo'], {cwd: root});
	assert.equal(undo.code, 0, undo.stderr);
	for (const file of rotting) {
		assert.equal(sha(path.join(root, file.path)), damaged.get(file.path), `${file.path}: undo took the restore back`);
	}
});
