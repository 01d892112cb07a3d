// `curate faces` and `curate people` through the real CLI with the real model (issue 19): faces found and stored per
// content, a second run resumes (nothing scanned twice), a group is named, and once a person has 10 named faces a
// new photo of them gets that name suggested with a confidence, never applied until a person names it; then
// `curate search person:NAME` finds the named photos.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import sharp from 'sharp';
import {runCli, runJson} from '../helpers/cli.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

type Listing = {
	faces: number;
	people: Array<{name: string; faces: number; photos: number}>;
	groups: Array<{cluster: number; faces: number[]; example: string | null}>;
	suggestions: Array<{face: number; person: string; confidence: number; path: string}>;
};

/** The 7D portrait, changed enough to be another photo: cropped, resized and brightened by `step`. */
async function variant(step: number, to: string): Promise<void> {
	const source = sharp(path.join(corpusDir, 'cameras/Canon_EOS_7D.jpg')).rotate();
	const {width, height} = await sharp(path.join(corpusDir, 'cameras/Canon_EOS_7D.jpg')).metadata();
	await source
		.extract({left: step * 6, top: step * 4, width: width! - step * 12, height: height! - step * 20})
		.resize(Math.round(width! * (0.6 + step * 0.03)))
		.modulate({brightness: 0.85 + step * 0.04})
		.jpeg({quality: 70 + step})
		.toFile(to);
}

describe('curate faces and curate people', {skip: needsCorpus}, () => {
	let root: string;
	before(async () => {
		root = tempDir('curate-faces-');
		for (const file of ['cameras/Canon_EOS_7D.jpg', 'cameras/Kodak_DX6490.jpg', 'cameras/Nikon_D5000.jpg']) {
			fs.copyFileSync(path.join(corpusDir, file), path.join(root, path.basename(file)));
		}

		// An exact copy: one content, scanned once.
		fs.copyFileSync(path.join(corpusDir, 'cameras/Canon_EOS_7D.jpg'), path.join(root, 'copy of 7D.jpg'));
		fs.mkdirSync(path.join(root, 'anna'));
		for (let step = 0; step < 10; step++) {
			await variant(step, path.join(root, 'anna', `v${step}.jpg`));
		}

		const scan = await runCli(['scan', root, '--json']);
		assert.equal(scan.code, 0, scan.stderr);
	});

	test('finds the faces of every photo content once, and a second run resumes with nothing left to do and says so', async () => {
		const {result, json} = await runJson(['faces', '--json'], {cwd: root});
		assert.equal(result.code, 0, result.stderr);
		// Every run used to print TensorFlow.js's "Platform browser has already been set. Overwriting the platform with node."
		assert.doesNotMatch(result.stderr, /Platform|tfjs|TensorFlow|backend/i, 'no library chatter on the terminal');
		assert.equal(json.scanned, 13);
		assert.equal(json.faces, 13);
		assert.equal(json.photosWithFaces, 12);
		assert.deepEqual(json.errors, []);
		assert.ok(json.photosPerSecond > 0);
		const again = await runCli(['faces'], {cwd: root});
		assert.equal(again.code, 0, again.stderr);
		assert.match(again.stdout, /^Scanned 0 photos for faces in .* photos\/s; 13 already done with this model\): 0 faces in 0 photos, 0 errors\.$/m);
	});

	test('names a group, suggests the name for a new photo of the same face, and applies it only when named', async () => {
		const listing = (await runJson<Listing>(['people', '--json'], {cwd: root})).json;
		assert.equal(listing.faces, 13);
		const anna = listing.groups.find(group => group.faces.length === 11);
		assert.ok(anna, `one group of the 7D face and its 10 variants: ${JSON.stringify(listing.groups.map(group => group.faces.length))}`);
		assert.equal(listing.groups.length, 3);
		assert.deepEqual(listing.suggestions, []);

		const named = await runCli(['people', 'name', `c${anna.cluster}`, 'Anna Berg'], {cwd: root});
		assert.equal(named.code, 0, named.stderr);
		// 11 contents, 12 files (the 7D photo has an exact copy): each file's own sidecar says who is in it.
		assert.match(named.stdout, /^Named 11 faces Anna Berg, 12 sidecars written \(batch \d+: `curate undo \d+` takes it back\)\.\n$/);

		await variant(11, path.join(root, 'anna', 'v11.jpg'));
		assert.equal((await runCli(['scan', root, '--json'])).code, 0);
		assert.equal((await runJson(['faces', '--json'], {cwd: root})).json.scanned, 1);
		const after = (await runJson<Listing>(['people', '--json'], {cwd: root})).json;
		assert.deepEqual(after.people, [{name: 'Anna Berg', faces: 11, photos: 11}]);
		assert.equal(after.suggestions.length, 1);
		const [suggestion] = after.suggestions;
		assert.equal(suggestion!.person, 'Anna Berg');
		assert.equal(suggestion!.path, 'anna/v11.jpg');
		assert.ok(suggestion!.confidence >= 0.7 && suggestion!.confidence <= 1);

		const text = await runCli(['people'], {cwd: root});
		assert.match(text.stdout, new RegExp(`^  f${suggestion!.face}  Anna Berg  confidence 0\\.\\d\\d  anna/v11\\.jpg$`, 'm'));

		assert.equal((await runCli(['people', 'name', `f${suggestion!.face}`, 'Anna Berg'], {cwd: root})).code, 0);
		const confirmed = (await runJson<Listing>(['people', '--json'], {cwd: root})).json;
		assert.deepEqual(confirmed.people, [{name: 'Anna Berg', faces: 12, photos: 12}]);
		assert.deepEqual(confirmed.suggestions, []);

		// Every file of the named faces, exact copies included, in any case of the name; no one else.
		const found = await runJson<{results: Array<{path: string}>}>(['search', 'person:"anna berg"', '--json'], {cwd: root});
		assert.equal(found.result.code, 0, found.result.stderr);
		const expected = ['Canon_EOS_7D.jpg', 'copy of 7D.jpg', ...Array.from({length: 10}, (_, step) => `anna/v${step}.jpg`), 'anna/v11.jpg'];
		assert.deepEqual(found.json.results.map(result => result.path).sort(), expected.sort());
		assert.deepEqual((await runJson(['search', 'person:Ben', '--json'], {cwd: root})).json.results, []);
	});

	test('a face or group that does not exist, or a name with a control character, is refused in one line', async () => {
		const missing = await runCli(['people', 'name', 'f99999', 'Anna'], {cwd: root});
		assert.equal(missing.code, 2);
		assert.equal(missing.stderr, 'curate: no face f99999: curate people lists faces by group\n');
		const bad = await runCli(['people', 'name', 'anna', 'Anna'], {cwd: root});
		assert.match(bad.stderr, /^curate: "anna" is not a group \(c3\) or a face \(f120\)/);
		const control = await runCli(['people', 'name', 'f1', 'An\u001B[2Jna'], {cwd: root});
		assert.equal(control.stderr, 'curate: a name is 1 to 100 printable characters on one line\n');
	});
});
