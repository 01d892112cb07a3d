import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import {hamming, hexToHash} from '../../source/core/perceptual.js';
import {Catalog} from '../../source/db/catalog.js';
import * as show from '../../commands/show.js';
import {mediaExtensions} from '../../source/scan/walk.js';
import {runJson} from '../helpers/cli.js';
import {copyTree, corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

// Files in the corpus whose pixels cannot be read (or are damaged): each must be a per-file error with a reason.
const broken = [
	'broken/zero_bytes.jpg',
	'broken/html_error_page_saved_as.jpeg',
	'broken/text_file_named.jpg',
	'broken/truncated_canon_rebel_t3i.jpg',
	'broken/truncated_raw.rw2',
	'broken/truncated_samplefilehub.heif',
	'broken/fuzzed_heif.heif',
	'broken/corrupted_olympus.jpg',
];

// Odd but readable: bad EXIF, a lying extension, a 1x1 image, a broken ICC chunk. Never errors.
const oddButFine = [
	'broken/invalid_exif_1.jpg',
	'broken/invalid_exif_2.jpg',
	'broken/png_with_jpg_extension.jpg',
	'broken/jpeg_with_nef_extension.nef',
	'broken/iPhoneXR_1x1_gps.jpg',
	'broken/png_bad_iccp_checksum.png',
	'exif-makers/Samsung_SM-G930F_zero_length_string.jpg',
	'exif-makers/long_description.jpg',
];

describe('scanning the real-photo corpus', {skip: needsCorpus}, () => {
	let root: string;
	let first: any;
	before(async () => {
		root = path.join(tempDir(), 'library');
		copyTree(corpusDir, root);
		({json: first} = await runJson(['scan', root, '--json']));
	});

	test('the scan completes and reports one JSON object with relative paths', () => {
		assert.equal(first.root, root);
		assert.equal(first.files, 149);
		assert.equal(first.added, 149);
		for (const error of first.errors) {
			assert.ok(!path.isAbsolute(error.path), error.path);
		}
	});

	test('every broken file is an error with a reason, and nothing else is', () => {
		const byPath = new Map<string, string>(first.errors.map((error: {path: string; error: string}) => [error.path, error.error]));
		for (const file of broken) {
			assert.ok(byPath.get(file), `${file} should be reported as an error`);
		}

		for (const file of oddButFine) {
			assert.equal(byPath.get(file), undefined, `${file} is readable and must not be an error`);
		}

		assert.match(byPath.get('broken/zero_bytes.jpg')!, /empty/);
		assert.match(byPath.get('broken/html_error_page_saved_as.jpeg')!, /HTML/);
		assert.match(byPath.get('broken/truncated_canon_rebel_t3i.jpg')!, /premature end|truncat/i);
	});

	test('every readable image has sha256, pHash and dHash, HEIC included', () => {
		const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'));
		const files = catalog.allPresent();
		catalog.close();
		const readable = files.filter(file => file.kind === 'image' && !file.error);
		assert.ok(readable.length >= 120, `only ${readable.length} readable images`);
		for (const file of readable) {
			assert.match(file.sha256 ?? '', /^[\da-f]{64}$/, file.path);
			assert.match(file.phash ?? '', /^[\da-f]{16}$/, file.path);
			assert.match(file.dhash ?? '', /^[\da-f]{16}$/, file.path);
			assert.ok(file.thumb && fs.existsSync(path.join(root, '.curate', file.thumb)), `${file.path} has a thumbnail`);
		}

		const heic = readable.filter(file => file.format === 'heic');
		assert.equal(heic.length, 10);
	});

	test('formats come from content, not the extension', async () => {
		const {json: png} = await runJson(['show', path.join(root, 'broken/png_with_jpg_extension.jpg'), '--json']);
		assert.equal(png.format, 'png');
		const {json: jpeg} = await runJson(['show', path.join(root, 'broken/jpeg_with_nef_extension.nef'), '--json']);
		assert.equal(jpeg.format, 'jpeg');
		assert.equal(jpeg.error, null);
	});

	test('the EXIF orientation sets have near-identical pHashes after orientation', () => {
		const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'));
		for (const set of ['Landscape', 'Portrait']) {
			const members = [1, 2, 3, 4, 5, 6, 7, 8].map(n => catalog.fileByPath(`orientation/${set}_${n}.jpg`)!);
			for (const a of members) {
				assert.equal(a.orientation, Number(a.path.at(-5)));
				for (const b of members) {
					const distance = hamming(hexToHash(a.phash!), hexToHash(b.phash!));
					assert.ok(distance <= 6, `${a.path} vs ${b.path}: ${distance}`);
				}
			}

			// Displayed size, after orientation.
			assert.deepEqual(new Set(members.map(file => `${file.width}x${file.height}`)).size, 1);
		}

		catalog.close();
	});

	test('metadata: capture time with offset, camera, signed GPS, mtime fallback marked', async () => {
		const {json: olympus} = await runJson(['show', path.join(root, 'cameras/Olympus_FE230-X790.jpg'), '--json']);
		assert.equal(olympus.make, 'OLYMPUS IMAGING CORP.');
		assert.ok(olympus.gps.lon < -118 && olympus.gps.lat > 50, JSON.stringify(olympus.gps));
		assert.match(olympus.takenAt, /^2008-12-07T10:28:52/);
		const {json: proraw} = await runJson(['show', path.join(root, 'formats/raw/iPhone12Pro_ProRAW_stub.dng'), '--json']);
		assert.equal(proraw.takenAt, '2020-12-29T14:24:45.700-05:00');
		const {json: leica} = await runJson(['show', path.join(root, 'cameras/Leica_T_Typ_701.jpg'), '--json']);
		assert.equal(leica.gps, null, 'an empty GPS IFD is no position');
		const {json: heic} = await runJson(['show', path.join(root, 'heic/iPhone11Pro_exif-at-eof.heic'), '--json']);
		assert.ok(heic.gps, 'Exif stored at the end of a HEIC is read');
		const {json: stripped} = await runJson(['show', path.join(root, 'similar/derived/Nikon_D5000_metadata_stripped.jpg'), '--json']);
		assert.equal(stripped.takenAtSource, 'mtime');
	});

	test('every file of the corpus is catalogued with its hashes or reported, the counts add up, and show never crashes', async () => {
		// Walk the copy independently of Curate's walk: every regular file outside .curate.
		const walked: string[] = [];
		const visit = (dir: string, prefix: string) => {
			for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
				const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
				if (entry.isDirectory() && entry.name !== '.curate') {
					visit(path.join(dir, entry.name), relative);
				} else if (entry.isFile()) {
					walked.push(relative);
				}
			}
		};

		visit(root, '');
		const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'));
		const rows = new Map(catalog.allPresent().map(file => [file.path, file]));
		catalog.close();
		const reported = new Map<string, string>(first.errors.map((error: {path: string; error: string}) => [error.path, error.error]));
		const notCatalogued = [...reported.keys()].filter(file => !rows.has(file));
		assert.equal(rows.size + notCatalogued.length + first.skipped, walked.length, 'catalogued + reported + skipped = every file walked');
		for (const file of walked) {
			const row = rows.get(file);
			if (!mediaExtensions.has(path.extname(file).slice(1).toLowerCase())) {
				assert.equal(row, undefined, `${file} is not media and is skipped`);
				continue;
			}

			assert.ok(row ?? reported.has(file), `${file} is neither catalogued nor reported`);
			if (!row) {
				continue;
			}

			assert.match(row.sha256 ?? '', /^[\da-f]{64}$/, file);
			if (row.error) {
				assert.equal(reported.get(file), row.error, `${file}: an error in the catalog is reported by the scan`);
			} else if (row.kind === 'image') {
				assert.match(row.phash ?? '', /^[\da-f]{16}$/, file);
				assert.match(row.dhash ?? '', /^[\da-f]{16}$/, file);
			}

			// show, as text and as JSON, for every file: the command's own code, in this process (a CLI start per file
			// would take minutes; the CLI itself runs show in the tests above).
			for (const json of [false, true]) {
				let out = '';
				const stdout = {write: (text: string) => (out += text), isTTY: false, columns: 80} as unknown as NodeJS.WriteStream;
				// eslint-disable-next-line no-await-in-loop
				const code = await show.run({input: [path.join(root, file)], flags: {json}, stdout, stderr: stdout, cwd: root});
				assert.equal(code, 0, file);
				if (json) {
					const parsed = JSON.parse(out) as {path: string; sha256: string};
					assert.equal(parsed.path, file);
					assert.equal(parsed.sha256, row.sha256);
				} else {
					assert.match(out, /^path +/);
					assert.doesNotMatch(out, /[\u0000-\u0009\u000B-\u001F]/, `${file}: no raw control characters on a terminal`);
				}
			}
		}
	});

	test('a truncated HEIC is reported, not catalogued as a sound photo', async () => {
		const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'));
		const heif = catalog.allPresent().filter(file => file.format === 'heic' && !file.error);
		catalog.close();
		assert.ok(heif.length >= 10);
		const library = path.join(tempDir(), 'truncated');
		fs.mkdirSync(library);
		const names = new Map(heif.map((file, index) => [file.path, `${index}-${path.basename(file.path)}`]));
		for (const file of heif) {
			const bytes = fs.readFileSync(path.join(root, file.path));
			// Cut where a slow upload or a full disk would: past the header, before the end of the image data.
			fs.writeFileSync(path.join(library, names.get(file.path)!), bytes.subarray(0, Math.floor(bytes.length * 0.9)));
		}

		const {json} = await runJson(['scan', library, '--json']);
		const reported = new Map<string, string>(json.errors.map((error: {path: string; error: string}) => [error.path, error.error]));
		for (const file of heif) {
			assert.match(reported.get(names.get(file.path)!) ?? '', /truncat|cannot decode/i, `${file.path} cut to 90% must be an error`);
		}
	});

	test('a second scan reads nothing; a rename is a move, not an addition', async () => {
		const {json: second} = await runJson(['scan', root, '--json']);
		assert.equal(second.unchanged, 149);
		assert.equal(second.added + second.updated + second.moved + second.missing, 0);
		assert.equal(second.errors.length, 0);
		assert.equal(second.stillUnreadable, first.errors.length, 'the files that could not be read are still counted');
		fs.renameSync(path.join(root, 'gps/DSCN0010.jpg'), path.join(root, 'gps/walk-start.jpg'));
		const {json: third} = await runJson(['scan', root, '--json']);
		assert.equal(third.moved, 1);
		assert.equal(third.added, 0);
		assert.equal(third.missing, 0);
		const {json: shown} = await runJson(['show', path.join(root, 'gps/walk-start.jpg'), '--json']);
		assert.equal(shown.make, 'NIKON');
	});
});
