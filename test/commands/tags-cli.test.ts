// The tag commands through the real CLI on a scanned, tagged copy of the sample library (issue 7): CSV export and
// import as one journaled batch, stats with precision, and reviewed photos moving the threshold `curate tag` uses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import sharp from 'sharp';
import {endExiftool, exiftool} from '../../source/adapters/exif.js';
import {parseCsv} from '../../source/tags/read-csv.js';
import {runCli, runJson} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';

const tiny = path.resolve(import.meta.dirname, '../../media-fixtures/models/tiny-clip');

type Row = {path: string; tag: string; confidence: number; state: string};

async function exported(root: string): Promise<Row[]> {
	const result = await runCli(['tags', 'export', '--csv'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	const [header, ...records] = parseCsv(result.stdout);
	assert.deepEqual(header!.fields, ['path', 'tag', 'confidence', 'state']);
	return records.map(({fields: [file, tag, confidence, state]}) => ({path: file!, tag: tag!, confidence: Number(confidence), state: state!}));
}

const stat = async (root: string, tag: string) => (await runJson(['tags', 'stats', '--json'], {cwd: root})).json.tags.find((row: {tag: string}) => row.tag === tag);

describe('curate tags list, stats, export and import', () => {
	let root: string;
	before(async () => {
		({root} = await sampleLibrary());
		fs.mkdirSync(path.join(root, 'purple'));
		for (let blue = 154; blue <= 160; blue++) {
			for (const green of [20, 40]) {
				await sharp({create: {width: 64, height: 48, channels: 3, background: {r: 200, g: green, b: blue}}}).png().toFile(path.join(root, 'purple', `p${blue}-${green}.png`));
			}
		}

		// A second copy of the red photo under a name CSV must quote.
		fs.copyFileSync(path.join(root, 'colors', 'red.jpg'), path.join(root, 'colors', 'red, "copy".jpg'));
		assert.equal((await runCli(['scan', root, '--json'])).code, 0);
		fs.writeFileSync(path.join(root, '.curate', 'tags.txt'), 'colour/red | scarlet | a photo of red\ncolour/blue | | a photo of blue\ncolour/green\n');
		const tagged = await runJson(['tag', '--model', tiny, '--json'], {cwd: root, env: {CURATE_OFFLINE: '1'}});
		assert.equal(tagged.result.code, 0, tagged.result.stderr);
	});

	after(async () => {
		await endExiftool();
	});

	test('export: one row per file and tag, quoted where needed; importing it unchanged changes nothing', async () => {
		const rows = await exported(root);
		const copies = rows.filter(row => row.tag === 'colour/red' && row.path.startsWith('colors/red'));
		assert.deepEqual(copies.map(row => row.path), ['colors/red, "copy".jpg', 'colors/red.jpg'], 'both files of one content');
		// Places from GPS (issue 17) are confirmed facts at 1; every tag from tagging is a suggestion.
		assert.ok(rows.filter(row => !row.tag.startsWith('places/')).every(row => row.state === 'suggested' && row.confidence > 0 && row.confidence <= 1));
		assert.ok(rows.filter(row => row.tag.startsWith('places/')).every(row => row.state === 'confirmed' && row.confidence === 1));
		const list = await runJson(['tags', 'list', '--json'], {cwd: root});
		const red = list.json.tags.find((row: {tag: string}) => row.tag === 'colour/red');
		assert.equal(red.suggested, new Set(rows.filter(row => row.tag === 'colour/red').map(row => row.path.replace('red, "copy"', 'red'))).size);

		const file = path.join(root, '..', 'same.csv');
		assert.equal((await runCli(['tags', 'export', '--csv', file], {cwd: root})).code, 0);
		const same = await runJson(['tags', 'import', file, '--json'], {cwd: root});
		assert.equal(same.result.code, 0, same.result.stderr);
		assert.equal(same.json.batch, null);
		assert.deepEqual(same.json.changed, {suggested: 0, confirmed: 0, rejected: 0});
		assert.equal(same.json.lines, rows.length);
	});

	test('import: dry run changes nothing; the real run is one batch with sidecars; unknown paths reported; undo restores; reviews move the threshold', async () => {
		const red = (await exported(root)).filter(row => row.tag === 'colour/red' && row.path.startsWith('purple/')).sort((a, b) => a.confidence - b.confidence);
		assert.ok(red.length >= 7, `purple photos tagged red: ${red.length}`);
		// Wrong: the lowest two and the fourth; right: the top three. The third stays undecided.
		const wrong = [red[0]!, red[1]!, red[3]!];
		const right = red.slice(-3);
		const lines = ['path,tag,confidence,state', ...wrong.map(row => `${row.path},colour/red,,rejected`), ...right.map(row => `${row.path},colour/red,,confirmed`), 'gone/nowhere.jpg,colour/red,,confirmed', 'purple/p154-20.png,??,,confirmed'];
		const file = path.join(root, '..', 'edits.csv');
		fs.writeFileSync(file, lines.join('\n') + '\n');

		const dry = await runJson(['tags', 'import', file, '--dry-run', '--json'], {cwd: root});
		assert.equal(dry.result.code, 0, dry.result.stderr);
		assert.deepEqual(dry.json.changed, {suggested: 0, confirmed: 3, rejected: 3});
		assert.equal(dry.json.writes, 3);
		assert.deepEqual(dry.json.unknownPaths, [{line: 8, path: 'gone/nowhere.jpg', reason: 'not a present, catalogued file'}]);
		assert.equal(dry.json.invalid[0].line, 9);
		assert.ok(right.every(row => !fs.existsSync(path.join(root, `${row.path}.xmp`))), 'a dry run writes no sidecar');
		assert.equal((await stat(root, 'colour/red')).confirmed, 0, 'a dry run changes no tag');

		const real = await runJson(['tags', 'import', file, '--json'], {cwd: root});
		assert.equal(real.result.code, 0, 'unknown paths are not fatal');
		assert.equal(typeof real.json.batch, 'number');
		for (const row of right) {
			const tags = (await exiftool().readRaw(path.join(root, `${row.path}.xmp`), ['-json', '-XMP-dc:Subject', '-XMP-lr:HierarchicalSubject'])) as Record<string, unknown>;
			assert.deepEqual([tags.Subject, tags.HierarchicalSubject].flat(), ['red', 'colour|red']);
		}

		const stats = await stat(root, 'colour/red');
		assert.equal(stats.confirmed, 3);
		assert.equal(stats.rejected, 3);
		assert.equal(stats.precision, 0.5);
		assert.equal(stats.threshold, 0.2);
		assert.equal(stats.learnedThreshold, Math.round((wrong[2]!.confidence + 0.001) * 1000) / 1000, 'just above the highest rejection');
		const journal = await runJson(['journal', '--json'], {cwd: root});
		assert.equal(journal.json.batches.length, 1, 'one batch for the whole import');
		assert.deepEqual(journal.json.batches[0].operations, {'write-sidecar': 3, 'set-tags': 6});

		assert.equal((await runCli(['undo'], {cwd: root})).code, 0);
		assert.ok(right.every(row => !fs.existsSync(path.join(root, `${row.path}.xmp`))), 'undo takes the sidecars back');
		assert.equal((await stat(root, 'colour/red')).confirmed, 0);
		assert.equal((await stat(root, 'colour/red')).learnedThreshold, 0.2, 'an undone review un-learns');
		assert.equal((await runCli(['redo'], {cwd: root})).code, 0);
		assert.equal((await stat(root, 'colour/red')).rejected, 3);

		// The next curate tag scores with the learned threshold: undecided suggestions under it go; decisions stay.
		const learned = (await stat(root, 'colour/red')).learnedThreshold as number;
		const retag = await runJson(['tag', '--json'], {cwd: root});
		assert.ok(retag.json.rescored > 0, 'the moved threshold re-scores the stored embeddings');
		const after = (await exported(root)).filter(row => row.tag === 'colour/red');
		assert.ok(after.filter(row => row.state === 'suggested').every(row => row.confidence >= learned), JSON.stringify(after));
		assert.ok(!after.some(row => row.path === red[2]!.path), 'the undecided photo under the new threshold is no longer suggested');
		assert.deepEqual(after.filter(row => row.state === 'rejected').map(row => row.path).sort(), wrong.map(row => row.path).sort(), 'rejected stays rejected');
		assert.equal(after.filter(row => row.state === 'confirmed' && row.path.startsWith('purple/')).length, 3);
	});

	test('usage errors are one line with exit 2', async () => {
		const noFormat = await runCli(['tags', 'export'], {cwd: root});
		assert.equal(noFormat.code, 2);
		assert.match(noFormat.stderr, /^curate: say the format: curate tags export --csv \[FILE\]\n$/);
		const missing = await runCli(['tags', 'import', 'nope.csv'], {cwd: root});
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /cannot read .*nope\.csv: ENOENT/);
		const broken = path.join(root, '..', 'broken.csv');
		fs.writeFileSync(broken, 'path,tag\n"open,red\n');
		const unclosed = await runCli(['tags', 'import', broken], {cwd: root});
		assert.equal(unclosed.code, 2);
		assert.match(unclosed.stderr, /line 2: a quoted field is not closed/);
		const group = await runCli(['tags', 'nonsense'], {cwd: root});
		assert.equal(group.code, 2);
		assert.match(group.stderr, /unknown subcommand "tags nonsense"[^]*tags review/);
		const help = await runCli(['tags', 'import', '--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /--dry-run/);
	});
});
