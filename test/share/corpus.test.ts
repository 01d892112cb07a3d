/**
 * `curate share` and `curate serve` over every file of the real-photo corpus (issue 20), through the real CLI and the
 * real server: the corpus copied to a library, `curate scan`, one share of everything, then every item of it fetched
 * over HTTP as a visitor would (page, thumbnail, large view, download) and judged against the catalog the scan made.
 * A few files with odd names (a newline, escape sequences, a bidi override, 255-byte names, a name that is not UTF-8)
 * are added beside the corpus, made from its own bytes, because the corpus holds no such names.
 */
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import sharp from 'sharp';
import {endExiftool, exiftool} from '../../source/adapters/exif.js';
import {Catalog, type StoredFile} from '../../source/db/catalog.js';
import type {ShareItem} from '../../source/db/shares.js';
import {runCli} from '../helpers/cli.js';
import {copyTree, corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';
import {type ServeProcess, startServe} from '../serve/cli-server.js';

after(async () => {
	await endExiftool();
});

/** Anything a terminal would act on: C0 controls but the newline, DEL, C1 controls, bidi overrides and isolates. */
const controls = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
/** The same in a page, where tabs and carriage returns are white space. */
const pageControls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/** The odd names added beside the corpus (as bytes, so one can be invalid UTF-8). */
const oddNames = [
	Buffer.from('new\nline.jpg'),
	Buffer.from('esc\u001B[31mred\u001B[0m title\u001B]0;pwned\u0007.jpg'),
	Buffer.from('\u202Egpj.evil.jpg'),
	Buffer.from(`${'a'.repeat(251)}.jpg`),
	Buffer.from(`${'é'.repeat(125)}x.jpg`),
	Buffer.from('日本の写真 2019.jpg'),
	Buffer.concat([Buffer.from('latin1-'), Buffer.from([0xE9, 0xFF]), Buffer.from('.jpg')]),
];

/** Upright, white-backed 24×24 greys of an image, to compare a copy with its master's look. */
async function glance(input: Buffer | string, orient: boolean): Promise<Buffer> {
	const image = sharp(input, {failOn: 'none'});
	return (orient ? image.rotate() : image).flatten({background: '#ffffff'}).resize(24, 24, {fit: 'fill'}).greyscale().raw().toBuffer();
}

const meanDifference = (a: Buffer, b: Buffer) => a.reduce((sum, value, index) => sum + Math.abs(value - b[index]!), 0) / a.length;

type Fetched = {status: number; type: string | null; disposition: string | null; body: Buffer};

async function get(url: string): Promise<Fetched> {
	const response = await fetch(url);
	return {status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), body: Buffer.from(await response.arrayBuffer())};
}

describe('share and serve every file of the real-photo corpus', {skip: needsCorpus, timeout: 15 * 60_000}, () => {
	let root: string;
	let files: StoredFile[];
	let readable: StoredFile[];
	let broken: StoredFile[];
	let share: {id: number; token: string; dir: string; title: string};
	let items: ShareItem[];
	let skipped: Array<{path: string; reason: string}>;
	let server: ServeProcess;
	const seconds: Record<string, number> = {};
	const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
		const started = performance.now();
		try {
			return await run();
		} finally {
			seconds[label] = (performance.now() - started) / 1000;
		}
	};

	before(async () => {
		root = path.join(tempDir('curate-share-corpus-'), 'library');
		copyTree(corpusDir, root);
		// The odd names get the bytes of the corpus's first GPS-tagged JPEG, each made distinct (exact copies share one
		// item), and one gets an empty file's bytes.
		const gpsJpeg = fs.readdirSync(path.join(root, 'gps')).filter(name => /\.jpe?g$/i.test(name)).sort()[0]!;
		const odd = Buffer.from(path.join(root, 'odd names'));
		fs.mkdirSync(odd);
		for (const [index, name] of oddNames.entries()) {
			fs.writeFileSync(Buffer.concat([odd, Buffer.from('/'), name]), Buffer.concat([fs.readFileSync(path.join(root, 'gps', gpsJpeg)), Buffer.from(`odd ${index}`)]));
		}

		fs.writeFileSync(path.join(root, 'odd names', 'empty\n\u001B[2J.jpg'), '');

		const scan = await timed('scan', async () => runCli(['scan'], {cwd: root, timeoutMs: 10 * 60_000}));
		assert.ok(scan.code === 0 || scan.code === 1, `curate scan ran (exit ${scan.code}): ${scan.stderr}`);
		const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'), {readonly: true});
		try {
			files = catalog.allPresent();
		} finally {
			catalog.close();
		}

		readable = files.filter(file => !file.error && file.kind !== 'video');
		broken = files.filter(file => file.error);
		const made = await timed('share', async () =>
			runCli(['share', '.', '--expires', '2h', '--allow-download', '--title', 'Everything <b>&</b> "more"', '--json'], {cwd: root, timeoutMs: 12 * 60_000}),
		);
		assert.equal(made.code, 0, `curate share of the whole library: ${made.stderr}`);
		const json = JSON.parse(made.stdout) as {share: typeof share; items: ShareItem[]; skipped: typeof skipped};
		({share, items, skipped} = json);
		server = await startServe(['--port', '0'], root);
	});

	after(async () => {
		await server?.stop();
		console.log(`share corpus: ${files?.length} files (${readable?.length} readable), scan ${seconds.scan?.toFixed(0)} s, share ${seconds.share?.toFixed(0)} s, serving every item ${seconds.serve?.toFixed(0)} s`);
	});

	test('every photo the scan read is in the share once (exact copies once), every file it could not read is left out with one clean line', () => {
		assert.ok(readable.length > 100, `the corpus has over 100 readable photos (${readable.length})`);
		const distinct = new Set(readable.map(file => file.sha256));
		assert.equal(items.length, distinct.size, 'one item per distinct readable photo');
		const shared = new Set(items.map(item => files.find(file => file.id === item.fileId)?.sha256));
		assert.deepEqual(
			readable.filter(file => !shared.has(file.sha256)).map(file => file.path),
			[],
			'no readable photo is missing from the share',
		);
		assert.deepEqual(skipped.map(entry => entry.path).sort(), broken.map(file => file.path).sort(), 'exactly the unreadable files are left out');
		for (const entry of skipped) {
			assert.ok(entry.reason.length > 0 && !entry.reason.includes('\n'), `${JSON.stringify(entry.path)}: one line saying why (${JSON.stringify(entry.reason)})`);
		}

		assert.ok(!files.some(file => file.path.includes('latin1-')), 'a name that is not UTF-8 is not catalogued, so never shared');
	});

	test('every item comes back over HTTP as a decodable, upright image of its photo, with the right type, size and no GPS', async () => {
		const scratch = tempDir('curate-share-fetched-');
		const byId = new Map(files.map(file => [file.id, file]));
		const problems: string[] = [];
		const base = `${server.url}/s/${share.token}`;
		const page = await get(base);
		assert.equal(page.status, 200);
		const html = page.body.toString('utf8');
		assert.ok(html.includes('Everything &#60;b&#62;&#38;&#60;/b&#62; &#34;more&#34;'), 'the title is escaped in the page');
		assert.doesNotMatch(html, pageControls, 'no control character in the page');
		const toRead: Array<{file: string; label: string; thumb: boolean}> = [];
		await timed('serve', async () => {
			for (const item of items) {
				const master = byId.get(item.fileId!);
				const label = `${item.name} (${master?.path ?? '?'})`;
				if (!master) {
					problems.push(`${label}: no catalogued master`);
					continue;
				}

				const name = encodeURIComponent(item.name);
				for (const link of [`thumb/${name}`, `large/${name}`, `download/${name}`]) {
					if (!html.includes(link)) {
						problems.push(`${label}: the page has no ${link}`);
					}
				}

				// eslint-disable-next-line no-await-in-loop -- one visitor, one photo after another
				const [thumb, large, download] = await Promise.all([get(`${base}/thumb/${name}`), get(`${base}/large/${name}`), get(`${base}/download/${name}`)]);
				for (const [kind, fetched, longest] of [
					['thumb', thumb, 480],
					['large', large, 2048],
				] as const) {
					if (fetched.status !== 200) {
						problems.push(`${label} ${kind}: HTTP ${fetched.status}`);
						continue;
					}

					let info: sharp.Metadata;
					try {
						// eslint-disable-next-line no-await-in-loop
						info = await sharp(fetched.body).metadata();
						// eslint-disable-next-line no-await-in-loop -- decoded in full: a truncated copy fails here
						await sharp(fetched.body, {failOn: 'warning'}).raw().toBuffer();
					} catch (error) {
						problems.push(`${label} ${kind}: does not decode (${String(error)})`);
						continue;
					}

					if (fetched.type !== `image/${info.format}`) {
						problems.push(`${label} ${kind}: sent as ${fetched.type}, bytes are ${info.format}`);
					}

					const {width = 0, height = 0} = info;
					// The catalog's size is the upright one (orientation applied), from the master itself.
					const expected = master.width! / master.height!;
					if (Math.abs(width / height - expected) > (2 / Math.min(width, height)) * Math.max(1, expected)) {
						problems.push(`${label} ${kind}: ${width}×${height}, not upright like its ${master.width}×${master.height} master (orientation ${master.orientation})`);
					}

					if (Math.max(width, height) > longest || Math.max(width, height) > Math.max(master.width!, master.height!)) {
						problems.push(`${label} ${kind}: ${width}×${height} is larger than asked (${longest}) or than the master`);
					}

					if ((info.orientation ?? 1) !== 1) {
						problems.push(`${label} ${kind}: still says orientation ${info.orientation}`);
					}

					if (kind === 'large' && (item.width !== width || item.height !== height || item.bytes !== fetched.body.length || item.sha256 !== createHash('sha256').update(fetched.body).digest('hex'))) {
						problems.push(`${label}: the catalog's row does not describe the copy served`);
					}

					const file = path.join(scratch, `${kind}-${item.name}`);
					fs.writeFileSync(file, fetched.body);
					toRead.push({file, label: `${label} ${kind}`, thumb: kind === 'thumb'});
				}

				if (download.status !== 200 || !download.body.equals(large.body) || !/^attachment;/.test(download.disposition ?? '')) {
					problems.push(`${label}: the download (HTTP ${download.status}) is not the large copy as an attachment`);
				}

				// The copy looks like its master turned upright (a flip or a wrong turn would not), wherever sharp reads the
				// master itself: HEIC is checked by its shape above.
				let reference: Buffer | undefined;
				try {
					// eslint-disable-next-line no-await-in-loop
					reference = await glance(path.join(root, master.path), true);
				} catch {}

				if (reference && large.status === 200) {
					// eslint-disable-next-line no-await-in-loop
					const difference = meanDifference(reference, await glance(large.body, false));
					if (difference > 8) {
						problems.push(`${label}: does not look like its master upright (mean difference ${difference.toFixed(1)} of 255)`);
					}
				}
			}
		});

		// exiftool-vendored queues the reads over its processes.
		const leaks = await Promise.all(
			toRead.map(async ({file, label, thumb}) => {
				const tags = (await exiftool().readRaw(file, ['-json', '-a', '-G0:1', '-u'])) as Record<string, unknown>;
				// Tags only (`GROUP:Name`; exiftool-vendored adds its own `errors` and `warnings`), and not those of the file itself.
				const keys = Object.keys(tags).filter(key => key.includes(':') && !/^(ExifTool|File|Composite|JFIF|ICC_Profile):/.test(key));
				const gps = keys.filter(key => /gps/i.test(key));
				if (gps.length > 0) {
					return [`${label}: GPS left in (${gps.join(', ')})`];
				}

				return thumb && keys.length > 0 ? [`${label}: a thumbnail carries metadata (${keys.slice(0, 5).join(', ')})`] : [];
			}),
		);
		assert.deepEqual([...problems, ...leaks.flat()], []);
	});

	test('curate share log lists every request to the share, and names visitors sent come out escaped', async () => {
		const base = `${server.url}/s/${share.token}`;
		const sent = ['large/%0A%1B%5B2J.jpg', 'thumb/%E2%80%AEgpj.exe', 'large/%C2%9B2J.jpg', 'large/%FF%FE.jpg', `large/${'%C3%A9'.repeat(200)}.jpg`, 'large/..%2F..%2Fcatalog.db'];
		for (const tail of sent) {
			// eslint-disable-next-line no-await-in-loop
			assert.equal((await get(`${base}/${tail}`)).status, 404, tail);
		}

		const logged = await runCli(['share', 'log', String(share.id), '--json'], {cwd: root});
		assert.equal(logged.code, 0, logged.stderr);
		const entries = (JSON.parse(logged.stdout) as {entries: Array<{action: string; itemName: string | null; status: number; path: string}>}).entries;
		const count = (action: string) => entries.filter(entry => entry.action === action && entry.status === 200).length;
		assert.equal(count('thumb'), items.length, 'each thumbnail request is logged');
		assert.equal(count('view'), items.length, 'each large view is logged');
		assert.equal(count('download'), items.length, 'each download is logged');
		assert.ok(count('gallery') >= 1);
		assert.equal(entries.filter(entry => entry.status === 404).length, sent.length, 'each refused name is logged');

		const text = await runCli(['share', 'log', String(share.id)], {cwd: root});
		assert.equal(text.code, 0, text.stderr);
		const lines = text.stdout.trimEnd().split('\n');
		assert.equal(lines.length, entries.length + 1, 'one line per request, under a heading');
		for (const line of lines) {
			assert.doesNotMatch(line, controls, `no control character reaches the terminal: ${JSON.stringify(line)}`);
			assert.ok([...line].length <= 80, `fits 80 columns: ${JSON.stringify(line)}`);
		}

		const refused = lines.filter(line => / 404 /.test(line));
		assert.equal(refused.length, sent.length);
		assert.ok(refused.some(line => line.includes(String.raw`\n\e[2J.jpg`)), 'a newline and an escape are shown as \\n and \\e');
		assert.ok(refused.some(line => line.includes(String.raw`\u202egpj.exe`)), 'a bidi override is shown, not obeyed');
		assert.ok(refused.some(line => line.includes(String.raw`\x9b2J.jpg`)), 'a C1 control is shown, not obeyed');
		for (const line of refused) {
			assert.match(line, /not-found +\S/, `what was asked is shown, even when it does not decode: ${JSON.stringify(line)}`);
		}

		const {stdout} = server.output();
		assert.doesNotMatch(stdout, controls, 'curate serve prints no control character either');
		assert.match(stdout, / not-found large\/%FF%FE\.jpg 404\n/, 'curate serve says what an undecodable request asked for');
		for (const line of stdout.split('\n')) {
			assert.ok([...line].length <= 160, `curate serve keeps a visitor's long name short: ${line.length} characters`);
		}
	});

	test('files that cannot be shared are refused in one line, and a folder share prints what it left out escaped', async () => {
		const onlyBroken = await runCli(['share', ...broken.map(file => file.path), '--expires', '1h'], {cwd: root});
		assert.equal(onlyBroken.code, 2, onlyBroken.stderr);
		assert.equal(onlyBroken.stdout, '');
		assert.equal(onlyBroken.stderr.trimEnd().split('\n').length, 1, `one line: ${onlyBroken.stderr}`);
		assert.match(onlyBroken.stderr, /^curate: nothing in the selection can be shared/);

		const folder = await runCli(['share', 'odd names', '--expires', '1h'], {cwd: root});
		assert.equal(folder.code, 0, folder.stderr);
		assert.doesNotMatch(folder.stdout + folder.stderr, controls);
		assert.match(folder.stdout, /Shared 6 photos as share \d+/);
		assert.match(folder.stdout, /Left out 1:\n {2}odd names\/empty\\n\\e\[2J\.jpg/);
	});

	test('a share made with --keep-gps keeps where each GPS-tagged photo of a folder was taken, and only in the large copy', async () => {
		const gpsFolder = files.filter(file => file.path.startsWith('gps/'));
		const made = await runCli(['share', 'gps', '--keep-gps', '--expires', '1h', '--json'], {cwd: root});
		assert.equal(made.code, 0, made.stderr);
		const {share: kept, items: keptItems} = JSON.parse(made.stdout) as {share: typeof share; items: ShareItem[]};
		const located = gpsFolder.filter(file => !file.error && file.gps);
		assert.ok(located.length > 0);
		for (const file of located) {
			const item = keptItems.find(entry => entry.fileId === file.id);
			assert.ok(item, `${file.path} is shared`);
			const base = `${server.url}/s/${kept.token}`;
			// eslint-disable-next-line no-await-in-loop
			const [large, thumb] = await Promise.all([get(`${base}/large/${item.name}`), get(`${base}/thumb/${item.name}`)]);
			const largeFile = path.join(tempDir(), 'large.jpg');
			const thumbFile = path.join(tempDir(), 'thumb.jpg');
			fs.writeFileSync(largeFile, large.body);
			fs.writeFileSync(thumbFile, thumb.body);
			// eslint-disable-next-line no-await-in-loop
			const [largeTags, thumbTags] = await Promise.all([exiftool().read(largeFile), exiftool().read(thumbFile)]);
			assert.ok(Math.abs(Math.abs(Number(largeTags.GPSLatitude)) - Math.abs(file.gps!.lat)) < 1e-4, `${file.path}: the large copy keeps its latitude`);
			assert.equal(thumbTags.GPSLatitude, undefined, `${file.path}: the thumbnail has none`);
		}
	});
});
