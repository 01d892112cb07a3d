import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import {runCli, runJson} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';

function snapshot(dir: string): Map<string, string> {
	const map = new Map<string, string>();
	const visit = (current: string) => {
		for (const entry of fs.readdirSync(current, {withFileTypes: true})) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== '.curate') {
					visit(full);
				}
			} else {
				map.set(path.relative(dir, full).split(path.sep).join('/'), createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
			}
		}
	};

	visit(dir);
	return map;
}

test('organize: the preview changes nothing, --apply moves files and catalog paths follow, undo puts everything back byte-identical', async () => {
	const {root} = await sampleLibrary();
	assert.equal((await runJson(['scan', root, '--json'])).result.code, 0);
	// A Lightroom-style sidecar beside a burst frame travels with it.
	fs.writeFileSync(path.join(root, 'burst/IMG_8121.xmp'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>\n');
	const before = snapshot(root);

	const preview = await runCli(['organize', '--library', root, '--pattern', '{year}/{event}']);
	assert.equal(preview.code, 0, preview.stderr);
	assert.match(preview.stdout, /^Would move \d+ files into \{year\}\/\{event\}/);
	assert.match(preview.stdout, /^2022\/ {2}\(\d+ files\)$/m);
	assert.match(preview.stdout, /^ {2}2022-08-20\/ {2}\(\d+ files\)$/m);
	assert.deepEqual(snapshot(root), before, 'the preview moves nothing');

	const plan = await runJson(['organize', '--library', root, '--pattern', '{year}/{event}', '--json']);
	const moves: Array<{from: string; to: string}> = plan.json.moves;
	assert.ok(moves.length > 10);
	const burst = moves.filter(move => move.from.startsWith('burst/'));
	assert.equal(new Set(burst.map(move => path.posix.dirname(move.to))).size, 1, 'the burst and its sidecar share one folder');
	assert.ok(burst.some(move => move.from === 'burst/IMG_8121.xmp' && move.to.endsWith('/IMG_8121.xmp')));
	assert.equal(new Set(moves.map(move => move.to.toLowerCase())).size, moves.length, 'no two files share a target');

	const applied = await runJson(['organize', '--library', root, '--pattern', '{year}/{event}', '--apply', '--json']);
	assert.equal(applied.result.code, 0, applied.result.stderr);
	assert.deepEqual(applied.json.moves, plan.json.moves);
	for (const move of moves) {
		assert.equal(snapshot(root).get(move.to), before.get(move.from));
	}

	const photo = moves.find(move => move.from === 'burst/IMG_8120.JPG')!;
	const shown = await runJson(['show', path.join(root, photo.to), '--json']);
	assert.equal(shown.result.code, 0, shown.result.stderr);
	assert.equal(shown.json.path, photo.to);
	const again = await runJson(['organize', '--library', root, '--pattern', '{year}/{event}', '--json']);
	assert.deepEqual(again.json.moves, [], 'an organized library stays as it is');

	const undo = await runCli(['undo', String(applied.json.batch), '--library', root]);
	assert.equal(undo.code, 0, undo.stderr);

	assert.deepEqual(snapshot(root), before, 'undo puts every file back, byte-identical');
});

test('organize leaves broken files where they are instead of filing them into dated event folders, and the preview says so', async () => {
	const {root, manifest} = await sampleLibrary();
	const photo = manifest.files.find(file => file.role === 'original' && /\.jpe?g$/i.test(file.path))!;
	const bytes = fs.readFileSync(path.join(root, photo.path));
	fs.mkdirSync(path.join(root, 'upload'));
	fs.writeFileSync(path.join(root, 'upload/half.jpg'), bytes.subarray(0, Math.floor(bytes.length / 2)));
	fs.writeFileSync(path.join(root, 'upload/page.jpg'), '<!doctype html><html><body>404</body></html>\n');
	assert.equal((await runJson(['scan', root, '--json'])).result.code, 0);
	const broken = ['upload/half.jpg', 'upload/page.jpg'];

	const preview = await runCli(['organize', '--library', root, '--pattern', '{year}/{event}']);
	assert.equal(preview.code, 0, preview.stderr);
	assert.match(preview.stdout, /^\d+ broken files stay where they are, out of the dated folders/m);
	for (const file of broken) {
		assert.match(preview.stdout, new RegExp(`^left alone: ${file.replace('.', '\\.')}: broken \\(.+\\): left where it is$`, 'm'));
	}

	const applied = await runJson(['organize', '--library', root, '--pattern', '{year}/{event}', '--apply', '--json']);
	assert.equal(applied.result.code, 0, applied.result.stderr);
	assert.ok(!applied.json.moves.some((move: {from: string}) => broken.includes(move.from)), 'no broken file moves');
	for (const file of broken) {
		assert.ok(fs.existsSync(path.join(root, file)), `${file} stays where it is`);
	}

	// Asked for, they go to one clearly named folder, and undo puts them back.
	const gathered = await runJson(['organize', '--library', root, '--pattern', '{year}/{event}', '--broken-to', 'Broken files', '--apply', '--json']);
	assert.equal(gathered.result.code, 0, gathered.result.stderr);
	assert.deepEqual(
		gathered.json.moves.filter((move: {from: string}) => broken.includes(move.from)).map((move: {from: string; to: string}) => [move.from, move.to]),
		[['upload/half.jpg', 'Broken files/half.jpg'], ['upload/page.jpg', 'Broken files/page.jpg']],
	);
	assert.equal((await runCli(['undo', String(gathered.json.batch), '--library', root])).code, 0);
	for (const file of broken) {
		assert.ok(fs.existsSync(path.join(root, file)), `${file} is back`);
	}
});
