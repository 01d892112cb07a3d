// End to end (issue 19 acceptance): on a small library of real face photos (a corpus portrait, nine generated
// variants of it and a photo of two other people), after the real `curate faces`, `curate people review` in tmux at
// 80x24 names the portrait's group; once the name has ten faces, a new variant is suggested and `curate people review
// NAME` confirms it; exiftool reads the MWG region names from the sidecars, and u restores a sidecar byte for byte.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import sharp from 'sharp';
import {endExiftool, exiftool, writeMetadata} from '../../source/adapters/exif.js';
import {cliEntry, runCli, runJson, tsxLoader} from '../helpers/cli.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';
import {needsTmux, tmuxSession} from '../helpers/tmux.js';

const portrait = path.join(corpusDir, 'cameras/Canon_EOS_7D.jpg');

/** The 7D portrait, changed enough to be another photo: cropped, resized, brightened and re-encoded by `step`. */
async function variant(step: number, to: string): Promise<void> {
	const {width, height} = await sharp(portrait).metadata();
	await sharp(portrait)
		.rotate()
		.extract({left: step * 6, top: step * 4, width: width! - step * 12, height: height! - step * 20})
		.resize(Math.round(width! * (0.6 + step * 0.03)))
		.modulate({brightness: 0.85 + step * 0.04})
		.jpeg({quality: 70 + step})
		.toFile(to);
}

async function regions(file: string): Promise<{names: string[]; types: string[]; people: string[]; subjects: string[]}> {
	const tags = (await exiftool().readRaw(file, ['-json', '-XMP-mwg-rs:RegionName', '-XMP-mwg-rs:RegionType', '-XMP-iptcExt:PersonInImage', '-XMP-dc:Subject'])) as Record<string, unknown>;
	const list = (value: unknown) => [value].flat().filter(item => item !== undefined).map(String);
	return {names: list(tags.RegionName), types: list(tags.RegionType), people: list(tags.PersonInImage), subjects: list(tags.Subject)};
}

/** `curate faces` on the library: the model on a loaded machine can take minutes, beyond runCli's default limit. */
async function findFaces(): Promise<{faces: number; scanned: number}> {
	const result = await runCli(['faces', '--json'], {cwd: root, timeoutMs: 600_000});
	assert.equal(result.code, 0, result.stderr);
	return JSON.parse(result.stdout) as {faces: number; scanned: number};
}

let root: string;

describe('curate people review in tmux at 80x24', {skip: needsTmux || needsCorpus}, () => {
	let session: ReturnType<typeof tmuxSession>;
	/** Starts `curate people review ARGS` on a cleared screen, so an EXIT line of an earlier run is never taken for its own. */
	const review = async (args: string, library = root) => {
		session.run('clear');
		await session.waitFor(/^(?![^]*EXIT:\d)/);
		session.run(`node --import '${tsxLoader}' '${cliEntry}' people review ${args} --library '${library}'; echo "EXIT:$?"`);
	};
	before(async () => {
		root = tempDir('curate-people-review-');
		for (const file of ['cameras/Canon_EOS_7D.jpg', 'cameras/Kodak_DX6490.jpg']) {
			fs.copyFileSync(path.join(corpusDir, file), path.join(root, path.basename(file)));
		}

		fs.mkdirSync(path.join(root, 'anna'));
		// The portrait and nine variants: the ten named faces after which Curate suggests her name.
		for (let step = 0; step < 9; step++) {
			await variant(step, path.join(root, 'anna', `v${step}.jpg`));
		}

		// Another app's sidecar on one of them: naming adds the region beside its keyword.
		await writeMetadata(path.join(root, 'anna', 'v3.jpg.xmp'), {keywords: ['holiday']});
		assert.equal((await runCli(['scan', root, '--json'])).code, 0);
		const faces = await findFaces();
		assert.ok(faces.faces >= 10, `faces found: ${faces.faces}`);
		session = tmuxSession('people');
	});

	after(async () => {
		session?.kill();
		await endExiftool();
	});

	test('enter names the unnamed group of her faces; the sidecars get MWG face regions with the name; q exits 0', async () => {
		await review('');
		const shown = await session.waitFor(/unnamed group c\d+[^]*▀[^]*enter name the rest|EXIT:\d/);
		assert.match(shown, /unnamed group c\d+ \(1\/\d+\) · 1–10 of 10 · ✓0 ✗0 named 0/, shown);
		assert.match(shown, /▀/, 'face crops drawn as half blocks');
		assert.ok(shown.split('\n').every(line => [...line].length <= 80));
		session.keys('Enter');
		assert.match(await session.waitFor(/name 10 faces:/), /name 10 faces:/);
		session.keys('-l', 'Anna Berg');
		session.keys('Enter');
		const named = await session.waitFor(/10 faces named Anna Berg · 10 sidecars written · batch \d+|! /);
		assert.match(named, /10 faces named Anna Berg · 10 sidecars written · batch \d+/, named);
		session.keys('q');
		assert.match(await session.waitFor(/EXIT:\d+/), /EXIT:0/);

		for (const file of ['Canon_EOS_7D.jpg', ...Array.from({length: 9}, (_, step) => `anna/v${step}.jpg`)]) {
			const read = await regions(path.join(root, `${file}.xmp`));
			assert.deepEqual(read.names, ['Anna Berg'], file);
			assert.deepEqual(read.types, ['Face'], file);
			assert.deepEqual(read.people, ['Anna Berg'], file);
		}

		assert.deepEqual((await regions(path.join(root, 'anna', 'v3.jpg.xmp'))).subjects, ['holiday'], "the other app's keyword stays");
		assert.ok(!fs.existsSync(path.join(root, 'Kodak_DX6490.jpg.xmp')), 'no sidecar for a photo of other people');
	});

	test('a new photo of her is suggested; review NAME confirms it with enter (region in its sidecar); u restores the sidecar byte for byte', async () => {
		await variant(11, path.join(root, 'anna', 'v11.jpg'));
		const sidecar = path.join(root, 'anna', 'v11.jpg.xmp');
		await writeMetadata(sidecar, {keywords: ['beach'], rating: 4});
		const before = fs.readFileSync(sidecar);
		assert.equal((await runCli(['scan', root, '--json'])).code, 0);
		assert.equal((await findFaces()).scanned, 1);

		await review("'Anna Berg'");
		const shown = await session.waitFor(/Anna Berg\? suggested[^]*▀|EXIT:\d/);
		assert.match(shown, /Anna Berg\? suggested \(1\/2\) · 1–1 of 1 · ✓0 ✗0/, shown);
		assert.match(shown, />0\.\d\d/, 'the suggestion with its confidence');
		assert.match(shown, /anna\/v11\.jpg · f\d+ · Anna Berg\? 0\.\d{3}/);
		session.keys('Enter');
		const confirmed = await session.waitFor(/Anna Berg: 1 confirmed, 0 rejected · 1 sidecar written · batch \d+|! /);
		assert.match(confirmed, /Anna Berg: 1 confirmed, 0 rejected · 1 sidecar written · batch \d+/, confirmed);
		const read = await regions(sidecar);
		assert.deepEqual(read.names, ['Anna Berg']);
		assert.deepEqual(read.subjects, ['beach']);

		session.keys('u');
		const undone = await session.waitFor(/undid batch \d+/);
		assert.match(undone, /undid batch \d+: 1 sidecar restored/, undone);
		assert.deepEqual(fs.readFileSync(sidecar), before, 'the sidecar is back byte for byte');
		assert.match(await session.waitFor(/Anna Berg\? suggested/), /1–1 of 1 · ✓0 ✗0/, 'the suggestion waits again');
		session.keys('q');
		assert.match(await session.waitFor(/EXIT:\d+/), /EXIT:0/);
		const people = (await runJson(['people', '--json'], {cwd: root})).json;
		assert.deepEqual(people.people, [{name: 'Anna Berg', faces: 10, photos: 10}], 'undo took the name back in the catalog too');
	});

	test('--help only prints help; without a terminal it explains and exits 2; an unknown name is one line; no faces yet is one line', async () => {
		const help = await runCli(['people', 'review', '--help', '--library', root]);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /curate people review \[NAME\]/);
		const piped = await runCli(['people', 'review', '--library', root]);
		assert.equal(piped.code, 2);
		assert.match(piped.stderr, /^curate: curate people review needs an interactive terminal/);
		await review('Zed');
		const refused = await session.waitFor(/EXIT:\d+/);
		assert.match(refused, /curate: no one is named "Zed" \(curate people lists the names\)\nEXIT:2/, refused);
		const empty = tempDir('curate-people-empty-');
		assert.equal((await runCli(['scan', empty, '--json'])).code, 0);
		await review('', empty);
		assert.match(await session.waitFor(/EXIT:\d+/), /\nNo faces yet: curate faces finds them\.\nEXIT:0/, 'a library without faces says so in one line');
	});
});
