import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import sharp from 'sharp';
import {runCli, runJson} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {tempDir} from '../helpers/temp.js';

const tiny = path.resolve(import.meta.dirname, '../../media-fixtures/models/tiny-clip');
const paths = (json: {items: Array<{path: string}>}) => json.items.map(item => item.path).sort();

test('curate export answers tag: and free-text terms from the AI tags and the recorded model', async () => {
	const {root} = await sampleLibrary();
	await sharp({create: {width: 64, height: 48, channels: 3, background: {r: 8, g: 8, b: 12}}}).jpeg().toFile(path.join(root, 'colors', 'dark.jpg'));
	assert.equal((await runCli(['scan', root, '--json'])).code, 0);
	const out = tempDir();

	// Before tagging, both kinds of term are a clear error, not an empty export.
	const early = await runCli(['export', 'red', '--to', out, '--dry-run'], {cwd: root});
	assert.equal(early.code, 2, early.stderr);
	assert.match(early.stderr, /free-text search needs AI tags \(run `curate tag` first\)/);
	const earlyTag = await runCli(['export', 'tag:night', '--to', out, '--dry-run'], {cwd: root});
	assert.equal(earlyTag.code, 2);
	assert.match(earlyTag.stderr, /tag: selections need AI tags/);

	const tagged = await runCli(['tag', '--model', tiny, '--json'], {cwd: root, env: {CURATE_OFFLINE: '1'}});
	assert.equal(tagged.code, 0, tagged.stderr);

	for (const colour of ['red', 'green', 'blue']) {
		const best = await runJson(['export', colour, '--matches', '1', '--to', out, '--dry-run', '--json'], {cwd: root, env: {CURATE_OFFLINE: '1'}});
		assert.equal(best.result.code, 0, best.result.stderr);
		assert.deepEqual(paths(best.json), [`colors/${colour}.jpg`]);
	}

	// --matches N takes the N best; free text and a path filter combine (the filter narrows the matches).
	const three = await runJson(['export', 'red', '--matches', '3', '--to', out, '--dry-run', '--json'], {cwd: root});
	assert.equal(three.json.items.length, 3);
	assert.ok(paths(three.json).includes('colors/red.jpg'));
	const within = await runJson(['export', 'red', 'path:colors/', '--matches', '3', '--to', out, '--dry-run', '--json'], {cwd: root});
	assert.ok(paths(within.json).includes('colors/red.jpg'));
	assert.ok(paths(within.json).every(file => file.startsWith('colors/')));
	const narrowed = await runCli(['export', 'red', 'path:colors/green', '--matches', '1', '--to', out, '--dry-run', '--json'], {cwd: root});
	assert.equal(narrowed.code, 2, `the best red match is not under colors/green: ${narrowed.stdout}${narrowed.stderr}`);
	assert.match(narrowed.stderr, /matches no catalogued files/);

	const night = await runJson(['export', 'tag:night', '--to', out, '--dry-run', '--json'], {cwd: root});
	assert.equal(night.result.code, 0, night.result.stderr);
	assert.ok(paths(night.json).includes('colors/dark.jpg'), paths(night.json).join(', '));
	const searched = await runJson(['search', 'tag:night', '--json', '--limit', '1000'], {cwd: root});
	assert.deepEqual(paths(night.json), searched.json.results.map((result: {path: string}) => result.path).sort(), 'tag: selects what curate search tag: finds');
	assert.ok(paths(night.json).length < 30, 'not everything is night');
	const unknown = await runCli(['export', 'tag:no-such-tag', '--to', out, '--dry-run'], {cwd: root});
	assert.equal(unknown.code, 2);
	assert.match(unknown.stderr, /matches no catalogued files/);
	const bad = await runCli(['export', 'red', '--matches', '0', '--to', out], {cwd: root});
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /--matches must be/);
});
