import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {runCli, runJson} from '../helpers/cli.js';
import {makeGeoPhotos, tripPhotos} from '../helpers/geo-photos.js';
import {tempDir} from '../helpers/temp.js';
import {treeSnapshot} from '../helpers/tree-snapshot.js';

const exiftoolBin = path.resolve(import.meta.dirname, '../../node_modules/exiftool-vendored.pl/bin/exiftool');

const name = (photo: {path: string}) => photo.path;

describe('places, local time, events and rules on a library with a trip to Paris', () => {
	let root: string;
	before(async () => {
		root = path.join(tempDir(), 'library');
		await makeGeoPhotos(root, tripPhotos);
		await endExiftool();
		const scanned = await runJson(['scan', root, '--json']);
		assert.equal(scanned.result.code, 0, scanned.result.stderr);
	});
	after(async () => endExiftool());

	test('scan locates the photos with GPS; curate places then has nothing left to do', async () => {
		const {result, json} = await runJson(['places', '--library', root, '--json']);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(json.located, 0);
		assert.equal(json.total, tripPhotos.filter(photo => photo.lat !== undefined).length);
		for (const photo of tripPhotos) {
			// eslint-disable-next-line no-await-in-loop
			const shown = await runJson(['show', path.join(root, photo.path), '--json']);
			assert.equal(shown.json.place?.countryCode ?? null, photo.truth?.country ?? null, photo.path);
			assert.equal(shown.json.place?.city ?? null, photo.truth?.city ?? null, photo.path);
		}
	});

	test('a capture time without an offset gets the one of Paris on its date: +02:00 in July, +01:00 in January, marked derived', async () => {
		const july = await runJson(['show', path.join(root, 'inbox/b/IMG_0004.JPG'), '--json']);
		assert.equal(july.json.takenAt, '2019-07-14T10:00:00', 'the catalogued capture time itself is not rewritten');
		assert.deepEqual([july.json.place.utcOffset, july.json.place.timeZone, july.json.place.offsetDerived], ['+02:00', 'Europe/Paris', true]);
		const january = await runJson(['show', path.join(root, 'inbox/c/IMG_0005.JPG'), '--json']);
		assert.equal(january.json.place.utcOffset, '+01:00');
		const text = await runCli(['show', path.join(root, 'inbox/b/IMG_0004.JPG')]);
		assert.match(text.stdout, /^place {10}Paris, France$/m);
		assert.match(text.stdout, /^local time {5}UTC\+02:00 \(derived from GPS: Europe\/Paris\)$/m);
	});

	test('curate search "place:france year:2019" returns exactly the French photos of 2019', async () => {
		const expected = tripPhotos.filter(photo => photo.truth?.country === 'FR' && photo.taken.startsWith('2019')).map(name).sort();
		assert.equal(expected.length, 6);
		const {result, json} = await runJson(['search', 'place:france year:2019', '--library', root, '--json']);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(json.results.map((row: {path: string}) => row.path).sort(), expected);
		const byCode = await runJson(['search', 'place:FR', 'year:2019', '--library', root, '--json']);
		assert.deepEqual(byCode.json.results.map((row: {path: string}) => row.path).sort(), expected);
		const lyon = await runJson(['search', 'place:lyon', '--library', root, '--json']);
		assert.deepEqual(lyon.json.results.map((row: {path: string}) => row.path), ['inbox/c/IMG_0006.JPG']);
		const none = await runJson(['search', 'place:japan', '--library', root, '--json']);
		assert.deepEqual(none.json.results, []);
	});

	test('curate export selects by place: place:FR year:2019 writes the French photos of 2019', async () => {
		const out = path.join(tempDir(), 'out');
		const {result, json} = await runJson(['export', 'place:FR', 'year:2019', '--to', out, '--dry-run', '--library', root, '--json']);
		assert.equal(result.code, 0, result.stderr);
		const selected = JSON.stringify(json);
		for (const photo of tripPhotos) {
			const wanted = photo.truth?.country === 'FR' && photo.taken.startsWith('2019');
			assert.equal(selected.includes(photo.path), wanted, photo.path);
		}
	});

	test('organize names the Paris event after Paris, files the birthday by the rule and shows it; undo leaves no folder behind', async () => {
		fs.writeFileSync(path.join(root, '.curate/rules.txt'), '# birthdays apart\ntag:birthday -> {year}/Birthday\n');
		const before = treeSnapshot(root);
		const preview = await runCli(['organize', '--library', root, '--pattern', '{year}/{event}'], {env: {...process.env, COLUMNS: '100'}});
		assert.equal(preview.code, 0, preview.stderr);
		assert.match(preview.stdout, /^ {2}2019-05-03 Paris\/ {2}\(3 files\)$/m, 'keyworded "friends", named after the place');
		assert.match(preview.stdout, /^ {2}Birthday\/ {2}\(2 files\)$/m);
		assert.match(preview.stdout, /^ {4}IMG_0009\.JPG {2}<- inbox\/d\/IMG_0009\.JPG {2}\(rule 2\)$/m);
		assert.match(preview.stdout, /^rule 2 of \.curate\/rules\.txt \(tag:birthday -> \{year\}\/Birthday\): 2 files$/m);

		const applied = await runJson(['organize', '--library', root, '--pattern', '{year}/{event}', '--apply', '--json']);
		assert.equal(applied.result.code, 0, applied.result.stderr);
		const moves: Array<{from: string; to: string; rule?: {line: number}}> = applied.json.moves;
		for (const photo of tripPhotos.slice(0, 3)) {
			assert.equal(moves.find(move => move.from === photo.path)?.to, `2019/2019-05-03 Paris/${path.posix.basename(photo.path)}`);
		}

		for (const photo of ['inbox/d/IMG_0009.JPG', 'inbox/e/IMG_0010.JPG']) {
			const move = moves.find(candidate => candidate.from === photo)!;
			assert.equal(move.to, `2019/Birthday/${path.posix.basename(photo)}`);
			assert.equal(move.rule?.line, 2);
		}

		assert.ok(fs.existsSync(path.join(root, '2019/2019-05-03 Paris/IMG_0001.JPG')));
		const undo = await runCli(['undo', String(applied.json.batch), '--library', root]);
		assert.equal(undo.code, 0, undo.stderr);
		const after = treeSnapshot(root);
		assert.deepEqual(after.files, before.files, 'every file back, byte-identical');
		assert.deepEqual(after.folders, before.folders, 'no folder organize made is left behind');
		fs.rmSync(path.join(root, '.curate/rules.txt'));
	});

	test('a bad rules file stops organize in one line naming the line, before anything moves', async () => {
		fs.writeFileSync(path.join(root, '.curate/rules.txt'), 'tag:birthday -> {year}/Birthday\ntag:x -> ../../etc\n');
		const before = treeSnapshot(root);
		const result = await runCli(['organize', '--library', root, '--pattern', '{year}/{event}', '--apply']);
		assert.equal(result.code, 2, 'a user error');
		assert.match(result.stderr, /^curate: .*rules\.txt line 2: pattern has an empty, "\." or "\.\." folder/);
		assert.equal(result.stderr.trim().split('\n').length, 1);
		assert.deepEqual(treeSnapshot(root), before);
		fs.rmSync(path.join(root, '.curate/rules.txt'));
	});

	test('curate places --write puts the place into sidecars that exiftool and exiv2 read; undo takes them back', async () => {
		const written = await runJson(['places', '--write', '--library', root, '--json']);
		assert.equal(written.result.code, 0, written.result.stderr);
		assert.equal(written.json.written.written, 8);
		const sidecar = path.join(root, 'inbox/a/IMG_0001.JPG.xmp');
		const tags = JSON.parse(execFileSync(exiftoolBin, ['-j', '-XMP:all', sidecar], {encoding: 'utf8'}))[0];
		assert.equal(tags.City, 'Paris');
		assert.equal(tags.Country, 'France');
		assert.equal(tags.CountryCode, 'FR');
		assert.deepEqual(tags.HierarchicalSubject, ['Places|France', 'Places|France|Paris']);
		assert.deepEqual(tags.Subject, ['friends', 'France', 'Paris'], 'the photo\'s own keyword stays; the place adds leaves');
		const exiv2 = execFileSync('exiv2', ['-px', sidecar], {encoding: 'utf8'});
		assert.match(exiv2, /^Xmp\.photoshop\.City\s+XmpText\s+\d+\s+Paris$/m);
		assert.match(exiv2, /^Xmp\.photoshop\.Country\s+XmpText\s+\d+\s+France$/m);
		assert.match(exiv2, /^Xmp\.iptc\.CountryCode\s+XmpText\s+\d+\s+FR$/m);
		assert.match(exiv2, /^Xmp\.lr\.hierarchicalSubject\s+XmpBag\s+\d+\s+Places\|France, Places\|France\|Paris$/m);

		const again = await runJson(['places', '--write', '--library', root, '--json']);
		assert.equal(again.json.written.batch, null, 'a second run writes nothing');
		const undo = await runCli(['undo', String(written.json.written.batch), '--library', root]);
		assert.equal(undo.code, 0, undo.stderr);
		assert.ok(!fs.existsSync(sidecar), 'a sidecar that did not exist goes again');
	});
});
