import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import {runCli} from '../helpers/cli.js';
import {fillUntil, needsSmallFs, smallFs} from '../helpers/small-fs.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

/** Every file under `dir`, `.curate` included, except the filler (relative path → SHA-256). */
function everything(dir: string): Map<string, string> {
	const found = new Map<string, string>();
	const visit = (current: string) => {
		for (const entry of fs.readdirSync(current, {withFileTypes: true})) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				visit(full);
			} else if (entry.name !== '.filler' && !/^catalog\.db(-wal|-shm)?$/.test(entry.name)) {
				found.set(path.relative(dir, full).split(path.sep).join('/'), createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
			}
		}
	};

	visit(dir);
	return found;
}

test('import onto a nearly full disk says "the disk holding the library is full" in one line, leaves no thumbnail or partial file, and changes nothing', {skip: needsSmallFs || needsCorpus, timeout: 300_000}, async () => {
	const disk = smallFs(12 * 1024 * 1024);
	try {
		const root = path.join(disk.dir, 'library');
		fs.mkdirSync(root);
		assert.equal((await runCli(['scan', root, '--json'])).code, 0);
		// Every camera JPEG of the corpus (about 20 MB), onto a disk with 3 MB left.
		const card = path.join(tempDir(), 'card');
		fs.mkdirSync(card);
		const cameras = path.join(corpusDir, 'cameras');
		let total = 0;
		for (const name of fs.readdirSync(cameras).filter(file => /\.jpe?g$/i.test(file))) {
			fs.copyFileSync(path.join(cameras, name), path.join(card, name));
			total += fs.statSync(path.join(card, name)).size;
		}

		assert.ok(total > 6e6, `the import is larger than the space (${total} bytes)`);
		fillUntil(disk.dir, 3 * 1024 * 1024);
		const before = everything(root);

		const result = await runCli(['import', card, '--library', root]);
		assert.equal(result.code, 1, result.stderr + result.stdout);
		const lines = result.stderr.trim().split('\n').filter(line => !line.startsWith('import: '));
		assert.equal(lines.length, 1, result.stderr);
		assert.match(lines[0]!, new RegExp(`^curate: the disk holding ${root.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')} is full \\(\\d+(\\.\\d)? MB free, about \\d+(\\.\\d)? MB needed\\)$`));
		assert.doesNotMatch(result.stderr, /database or disk is full|ENOSPC|unexpected/i);
		assert.deepEqual(everything(root), before, 'no copy, no thumbnail, no partial file: the library is as it was');
		const journal = await runCli(['journal', '--library', root, '--json']);
		assert.equal(journal.code, 0, journal.stderr);
		assert.deepEqual(JSON.parse(journal.stdout).batches ?? JSON.parse(journal.stdout), [], 'no batch was recorded');
	} finally {
		disk.release();
	}
});
