import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {runCli, runJson} from '../helpers/cli.js';
import {scannedSampleLibrary, scanRoot} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
});

// The longest names ext4 takes: 255 bytes, in ASCII and in two-byte UTF-8 characters.
const longNames = [`${'a'.repeat(251)}.jpg`, `${'é'.repeat(125)}x.jpg`];

/** A scanned sample library with one of its JPEGs also under each long name (made distinct, so none is an exact copy). */
async function libraryWithLongNames(): Promise<string> {
	const {root} = await scannedSampleLibrary();
	const source = fs.readFileSync(path.join(root, '2019/2019-05-03 Paris/DSC_0412.jpg'));
	fs.mkdirSync(path.join(root, 'long'));
	for (const [index, name] of longNames.entries()) {
		assert.equal(Buffer.byteLength(name), 255);
		fs.writeFileSync(path.join(root, 'long', name), Buffer.concat([source, Buffer.from(`long ${index}`)]));
	}

	await scanRoot(root);
	return root;
}

test('a photo whose file name is 255 bytes long is exported (cut to fit beside an existing copy) instead of stopping the export with ENAMETOOLONG', async () => {
	const root = await libraryWithLongNames();
	const out = tempDir();
	// A copy of that name is already there: the new one needs `-1`, which must still fit in 255 bytes.
	fs.writeFileSync(path.join(out, longNames[0]!), 'an earlier copy');
	const {result, json} = await runJson(['export', 'long', '--to', out, '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	assert.equal(json.written, 2);
	assert.equal(fs.readFileSync(path.join(out, longNames[0]!), 'utf8'), 'an earlier copy', 'never overwritten');
	for (const item of json.items as Array<{output: string}>) {
		assert.ok(Buffer.byteLength(path.basename(item.output)) <= 255, item.output);
		assert.ok(fs.statSync(item.output).size > 1000);
	}

	assert.ok((json.items as Array<{output: string}>).some(item => path.basename(item.output).endsWith('a-1.jpg')), 'the cut name keeps the -1');
	assert.deepEqual(fs.readdirSync(out).filter(name => name.includes('curate-tmp')), [], 'no temporary file is left');
});

test('a folder holding photos with 255-byte names is shared instead of failing with ENAMETOOLONG', async () => {
	const root = await libraryWithLongNames();
	const result = await runCli(['share', 'long', '--expires', '1h'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stdout, /^Shared 2 photos as share 1/);
});
