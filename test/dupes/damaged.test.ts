import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {findDuplicates} from '../../source/dupes/find.js';
import {libraryAt} from '../../source/library.js';
import {scanLibrary} from '../../source/scan/scan.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

// Issue 15: a truncated copy showed up as `similar`, never as a duplicate of its intact original, so `dupes --apply
// keepers` never cleared it. The photo is the first camera JPEG of the corpus by name, not one picked to pass.
test('a truncated copy of a corpus photo clusters with its intact original, which is the keeper', {skip: needsCorpus}, async () => {
	const cameras = path.join(corpusDir, 'cameras');
	const name = fs.readdirSync(cameras).filter(file => /\.jpe?g$/i.test(file)).sort()[0]!;
	const root = tempDir();
	fs.mkdirSync(path.join(root, 'photos'), {recursive: true});
	fs.mkdirSync(path.join(root, 'backup'), {recursive: true});
	const bytes = fs.readFileSync(path.join(cameras, name));
	fs.writeFileSync(path.join(root, 'photos', name), bytes);
	fs.writeFileSync(path.join(root, 'backup', name), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
	const library = libraryAt(root);
	const catalog = Catalog.open(library.catalogPath);
	try {
		await scanLibrary(library, catalog);
		const files = catalog.allPresent();
		assert.match(files.find(file => file.path === `backup/${name}`)?.error ?? '', /^damaged image data/, 'the copy decodes only in part');
		const clusters = findDuplicates(files);
		assert.equal(clusters.length, 1, JSON.stringify(clusters));
		const [cluster] = clusters;
		const keeper = cluster!.members.find(member => member.keeper)!;
		const damaged = cluster!.members.find(member => !member.keeper)!;
		assert.equal(keeper.path, `photos/${name}`);
		assert.equal(damaged.path, `backup/${name}`);
		const reason = damaged.reasons[0] ?? '';
		const share = Number(/^damaged copy \(decodes only (\d+) %\)$/.exec(reason)?.[1]);
		assert.ok(share >= 25 && share < 100, `reason: ${reason}`);
	} finally {
		catalog.close();
	}
});
