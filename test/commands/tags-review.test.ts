// End to end (issue 7 acceptance): after `curate tag` with the tiny model, the real `curate tags review red` in tmux
// at 80x24 shows a grid; marking one photo and pressing enter confirms the rest, whose sidecars exiftool reads back
// with the keyword; u restores the previous sidecars exactly.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import sharp from 'sharp';
import {endExiftool, exiftool, writeMetadata} from '../../source/adapters/exif.js';
import {Catalog} from '../../source/db/catalog.js';
import {type QueueRow, tagRowsOf} from '../../source/db/tag-review.js';
import {cliEntry, runCli, runJson, tsxLoader} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {needsTmux, tmuxSession} from '../helpers/tmux.js';

const tiny = path.resolve(import.meta.dirname, '../../media-fixtures/models/tiny-clip');

async function subjects(file: string): Promise<string[]> {
	const tags = (await exiftool().readRaw(file, ['-json', '-XMP-dc:Subject', '-XMP-lr:HierarchicalSubject'])) as Record<string, unknown>;
	return [tags.Subject, tags.HierarchicalSubject].flat().filter(value => value !== undefined).map(String);
}

describe('curate tags review in tmux at 80x24', {skip: needsTmux}, () => {
	let root: string;
	let band: QueueRow[];
	let session: ReturnType<typeof tmuxSession>;
	before(async () => {
		({root} = await sampleLibrary());
		// Purples between red and blue: the tiny model is unsure which colour they are, so "red" lands in the review band.
		fs.mkdirSync(path.join(root, 'purple'));
		for (let blue = 154; blue <= 160; blue++) {
			await sharp({create: {width: 64, height: 48, channels: 3, background: {r: 200, g: blue % 2 === 0 ? 20 : 40, b: blue}}}).png().toFile(path.join(root, 'purple', `p${blue}.png`));
		}

		assert.equal((await runCli(['scan', root, '--json'])).code, 0);
		fs.mkdirSync(path.join(root, '.curate'), {recursive: true});
		fs.writeFileSync(path.join(root, '.curate', 'tags.txt'), 'colour/red | scarlet | a photo of red\ncolour/blue | | a photo of blue\ncolour/green\n');
		const tagged = await runJson(['tag', '--model', tiny, '--json'], {cwd: root, env: {CURATE_OFFLINE: '1'}});
		assert.equal(tagged.result.code, 0, tagged.result.stderr);
		const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'), {readonly: true});
		band = tagRowsOf(catalog).queue('colour/red', 0.6, 1000);
		catalog.close();
		assert.ok(band.length >= 3, `photos in the band: ${band.length}`);
		// The second photo already has a sidecar from another app: its bytes must come back exactly.
		await writeMetadata(path.join(root, `${band[1]!.path}.xmp`), {keywords: ['purple'], rating: 3});
		session = tmuxSession('tags');
	});

	after(async () => {
		session?.kill();
		await endExiftool();
	});

	test('a grid; space marks one, enter confirms the rest (keywords in sidecars); u restores the sidecars; q exits 0', async () => {
		const existing = path.join(root, `${band[1]!.path}.xmp`);
		const existingBytes = fs.readFileSync(existing);
		session.run(`node --import '${tsxLoader}' '${cliEntry}' tags review red --library '${root}'; echo "EXIT:$?"`);
		const shown = await session.waitFor(/colour\/red · 1–\d+ of \d+ below 0\.60[^]*▀[^]*←↑↓→ move|EXIT:\d/);
		assert.match(shown, new RegExp(`colour/red · 1–${band.length} of ${band.length} below 0\\.60 · ✓0 ✗0`), shown);
		assert.match(shown, /▀/, 'thumbnails drawn as half blocks');
		assert.match(shown, new RegExp(`>${band[0]!.confidence.toFixed(2)}`), 'the lowest confidence first, chosen');
		assert.ok(shown.split('\n').every(line => [...line].length <= 80));

		session.keys('Space');
		const marked = await session.waitFor(/>[\d.]+ ✗/);
		assert.match(marked, />[\d.]+ ✗/, marked);
		session.keys('Enter');
		const decided = await session.waitFor(/confirmed, 1 rejected/);
		assert.match(decided, new RegExp(`colour/red: ${band.length - 1} confirmed, 1 rejected · ${band.length - 1} sidecars written · batch \\d+`), decided);
		assert.match(decided, /Nothing left below 0\.60/);
		assert.ok(!fs.existsSync(path.join(root, `${band[0]!.path}.xmp`)), 'the marked photo got no keyword');
		for (const row of band.slice(1)) {
			const words = await subjects(path.join(root, `${row.path}.xmp`));
			assert.ok(words.includes('red') && words.includes('colour|red'), `${row.path}: ${words.join(', ')}`);
		}

		assert.ok((await subjects(existing)).includes('purple'), 'the other app\'s keyword stays');

		session.keys('u');
		await session.waitFor(/undid batch/);
		assert.deepEqual(fs.readFileSync(existing), existingBytes, 'the earlier sidecar is back byte for byte');
		for (const row of band.slice(2)) {
			assert.ok(!fs.existsSync(path.join(root, `${row.path}.xmp`)), `${row.path}.xmp did not exist before`);
		}

		const back = await session.waitFor(/1–\d+ of \d+ below/);
		assert.match(back, new RegExp(`1–${band.length} of ${band.length} below 0\\.60 · ✓0 ✗0`), 'every photo waits for review again');
		session.keys('q');
		assert.match(await session.waitFor(/EXIT:\d+/), /EXIT:0/);

		const stats = await runJson(['tags', 'stats', '--json'], {cwd: root});
		const red = stats.json.tags.find((row: {tag: string}) => row.tag === 'colour/red');
		assert.equal(red.confirmed, 0, 'undo restored the tag states too');
		assert.equal(red.rejected, 0);
	});

	test('without a terminal it explains and exits 2', async () => {
		const result = await runCli(['tags', 'review', '--library', root]);
		assert.equal(result.code, 2);
		assert.match(result.stderr, /needs an interactive terminal/);
	});
});
