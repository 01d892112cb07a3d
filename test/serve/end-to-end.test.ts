/**
 * Issue 20's acceptance, end to end with the real CLI: `curate share` makes the links, `curate serve` serves them on
 * 127.0.0.1, curl and headless Chromium (Debian's /usr/bin/chromium through puppeteer-core) visit them, and
 * `curate share log` must list every request. The served copies are read back with exiftool: no GPS.
 */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {ShareStore} from '../../source/db/shares.js';
import {runCli, runJson} from '../helpers/cli.js';
import {tripPhotos} from '../helpers/geo-photos.js';
import {tempDir} from '../helpers/temp.js';
import {curl, onServer, type ServeProcess, serveGeoLibrary, stopServe} from './cli-server.js';

const exiftoolBin = path.resolve(import.meta.dirname, '../../node_modules/exiftool-vendored.pl/bin/exiftool');
const chromium = '/usr/bin/chromium';
const noChromium = fs.existsSync(chromium) ? false : `${chromium} not found (Debian package chromium, installed by .ci/run); the browser test is skipped`;

/** The GPS tags exiftool finds in each file (every group, duplicates shown), by file: one exiftool run for them all. */
function gpsTags(files: readonly string[]): Record<string, string[]> {
	const read = JSON.parse(execFileSync(exiftoolBin, ['-json', '-a', '-G1', ...files], {encoding: 'utf8'})) as Array<Record<string, unknown>>;
	return Object.fromEntries(read.map(tags => [String(tags['SourceFile']), Object.keys(tags).filter(key => /gps/i.test(key))]));
}

const photos2019 = tripPhotos.filter(photo => photo.taken.startsWith('2019'));

describe('curate share and curate serve, end to end', () => {
	let root: string;
	let serve: ServeProcess;
	before(async () => {
		({root, serve} = await serveGeoLibrary(tripPhotos, 'curate-serve-e2e-'));
	});
	after(async () => {
		await stopServe(serve);
	});

	const logOf = async (id: number) => (await runJson(['share', 'log', String(id), '--json'], {cwd: root})).json.entries as Array<Record<string, any>>;

	test('acceptance: `curate share year:2019 --expires 1h` prints a link, curl gets the gallery, the photos carry no GPS, traversal gets 404, revoke gives 410, and the log lists every request', async () => {
		const shared = await runCli(['share', 'year:2019', '--expires', '1h'], {cwd: root});
		assert.equal(shared.code, 0, shared.stderr);
		const link = /^(http:\/\/\S+\/s\/[\w-]+)$/m.exec(shared.stdout)?.[1];
		assert.ok(link, `no link in:\n${shared.stdout}`);
		const id = Number(/as share (\d+)/.exec(shared.stdout)?.[1]);
		const url = onServer(link, serve);

		const gallery = await curl(url);
		assert.equal(gallery.status, 200);
		const names = [...gallery.body.matchAll(/<img src="[\w-]+\/thumb\/([^"]+)"/g)].map(match => decodeURIComponent(match[1]!));
		assert.equal(names.length, photos2019.length, 'every 2019 photo in the gallery');
		const master = path.join(root, photos2019[0]!.path);
		assert.ok(gpsTags([master])[master]!.length > 0, 'the masters do carry GPS');
		const out = tempDir('curate-serve-curl-');
		const requested: Array<[string, number]> = [[new URL(url).pathname, 200]];
		for (const [index, name] of names.entries()) {
			for (const kind of ['large', 'thumb']) {
				const file = path.join(out, `${kind}-${index}.jpg`);
				// eslint-disable-next-line no-await-in-loop
				const fetched = await curl(`${url}/${kind}/${encodeURIComponent(name)}`, {output: file});
				assert.equal(fetched.status, 200);
				requested.push([`${new URL(url).pathname}/${kind}/${encodeURIComponent(name)}`, 200]);
			}
		}

		const served = gpsTags(fs.readdirSync(out).map(name => path.join(out, name)));
		assert.equal(Object.keys(served).length, names.length * 2);
		assert.deepEqual(Object.entries(served).filter(([, tags]) => tags.length > 0), [], 'no served copy carries GPS');

		const refused = await curl(`${url}/download/${encodeURIComponent(names[0]!)}`);
		assert.equal(refused.status, 403, 'view-only by default');
		requested.push([`${new URL(url).pathname}/download/${encodeURIComponent(names[0]!)}`, 403]);
		for (const attempt of ['/../../.curate/catalog.db', '/large/..%2f..%2f..%2fcatalog.db', '/thumb/%252e%252e%252f%252e%252e%252fcatalog.db']) {
			// eslint-disable-next-line no-await-in-loop
			const response = await curl(`${url}${attempt}`, {pathAsIs: true});
			assert.equal(response.status, 404, attempt);
			assert.doesNotMatch(response.body, /SQLite format/);
			requested.push([`${new URL(url).pathname}${attempt}`, 404]);
		}

		const recipient = await runJson(['share', 'add-recipient', String(id), 'Anna', '--json'], {cwd: root});
		assert.equal(recipient.result.code, 0, recipient.result.stderr);
		const annaUrl = onServer(recipient.json.link as string, serve);
		assert.equal((await curl(annaUrl)).status, 200);
		requested.push([new URL(annaUrl).pathname, 200]);

		const revoked = await runCli(['share', 'revoke', String(id)], {cwd: root});
		assert.equal(revoked.code, 0, revoked.stderr);
		for (const gone of [url, annaUrl, `${url}/large/${encodeURIComponent(names[0]!)}`]) {
			// eslint-disable-next-line no-await-in-loop
			const response = await curl(gone);
			assert.equal(response.status, 410, gone);
			assert.match(response.body, /withdrawn/);
			requested.push([new URL(gone).pathname, 410]);
		}

		const entries = await logOf(id);
		assert.deepEqual(entries.map(entry => [entry.path, entry.status]), requested, 'the log lists every request, in order');
		assert.deepEqual(entries.filter(entry => entry.recipientName === 'Anna').map(entry => entry.status), [200, 410], 'with the recipient where one was used');
		assert.ok(entries.every(entry => entry.clientAddress === '127.0.0.1' && /^curl\//.test(entry.userAgent)));
	});

	test('in headless Chromium at phone size: the gallery shows the photos without overflow, arrows and swipes navigate, a download has no GPS, an expired link gives 410, a wrong password is refused, and the log lists each access', {skip: noChromium}, async t => {
		const {default: puppeteer} = await import('puppeteer-core');
		const open = await runJson(['share', 'year:2019', '--expires', '1h', '--allow-download', '--title', 'Paris, spring 2019', '--json'], {cwd: root});
		assert.equal(open.result.code, 0, open.result.stderr);
		const passwordFile = path.join(tempDir(), 'password');
		fs.writeFileSync(passwordFile, 'lake house 2019\n');
		const locked = await runJson(['share', 'year:2019', '--expires', '1h', '--password-file', passwordFile, '--json'], {cwd: root});
		assert.equal(locked.result.code, 0, locked.result.stderr);
		const expiring = await runJson(['share', 'year:2018', '--expires', '1h', '--json'], {cwd: root});
		assert.equal(expiring.result.code, 0, expiring.result.stderr);
		// Its hour is up: the expiry moved into the past, as time would.
		const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'));
		new ShareStore(catalog).extend(expiring.json.share.id as number, new Date(Date.now() - 60_000).toISOString());
		catalog.close();

		// CURATE_SCREENSHOTS keeps them for a person to look at; by default they go with the test's temp folder.
		const screenshots = process.env['CURATE_SCREENSHOTS'] ?? tempDir('curate-serve-screens-');
		fs.mkdirSync(screenshots, {recursive: true});
		let names: string[] = [];
		const downloads = tempDir('curate-serve-downloads-');
		const browser = await puppeteer.launch({executablePath: chromium, headless: true, args: ['--no-sandbox']});
		try {
			const page = await browser.newPage();
			await page.setViewport({width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true});
			const cdp = await page.createCDPSession();
			await cdp.send('Browser.setDownloadBehavior', {behavior: 'allow', downloadPath: downloads});

			const response = await page.goto(onServer(open.json.link as string, serve), {waitUntil: 'load'});
			assert.equal(response?.status(), 200);
			const images = await page.$$eval('.cell img', elements => elements.map(image => ({loaded: (image as HTMLImageElement).complete, width: (image as HTMLImageElement).naturalWidth})));
			assert.equal(images.length, photos2019.length);
			assert.ok(images.every(image => image.loaded && image.width > 0), `every thumbnail loaded: ${JSON.stringify(images)}`);
			const layout = await page.evaluate(() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth}));
			assert.ok(layout.scrollWidth <= layout.innerWidth, `no horizontal overflow: ${JSON.stringify(layout)}`);
			const grid = path.join(screenshots, 'gallery-phone.png');
			await page.screenshot({path: grid});
			t.diagnostic(`phone screenshots in ${screenshots}`);

			const shown = async () => page.$eval('#viewer', viewer => ({
				hidden: (viewer as HTMLElement).hidden,
				src: decodeURIComponent(viewer.querySelector('img')!.getAttribute('src') ?? ''),
				width: viewer.querySelector('img')!.naturalWidth,
			}));
			names = await page.$$eval('.cell', cells => cells.map(cell => (cell as HTMLElement).dataset.name!));
			const waitLoaded = async () => page.waitForFunction(() => {
				const image = document.querySelector<HTMLImageElement>('#viewer-image')!;
				return image.complete && image.naturalWidth > 0;
			});
			await page.tap('.cell');
			await waitLoaded();
			const first = await shown();
			assert.equal(first.hidden, false, 'a tap opens the large view');
			assert.ok(first.src.endsWith(`/large/${names[0]}`), first.src);
			assert.ok(first.width > 0, 'the large view loaded');
			const viewer = path.join(screenshots, 'viewer-phone.png');
			await page.screenshot({path: viewer});
			await page.keyboard.press('ArrowRight');
			await waitLoaded();
			assert.ok((await shown()).src.endsWith(`/large/${names[1]}`), '→ shows the next photo');
			await page.keyboard.press('ArrowLeft');
			assert.ok((await shown()).src.endsWith(`/large/${names[0]}`), '← the previous');
			await page.keyboard.press('ArrowLeft');
			assert.ok((await shown()).src.endsWith(`/large/${names.at(-1)}`), '← from the first goes round to the last');
			await page.keyboard.press('ArrowRight');
			await page.touchscreen.touchStart(320, 420);
			await page.touchscreen.touchMove(200, 425);
			await page.touchscreen.touchMove(60, 430);
			await page.touchscreen.touchEnd();
			assert.ok((await shown()).src.endsWith(`/large/${names[1]}`), 'a swipe to the left shows the next photo');
			await waitLoaded();
			await page.click('#download');
			const downloaded = await waitForDownload(downloads);
			assert.equal(path.basename(downloaded), names[1]);
			assert.deepEqual(gpsTags([downloaded])[downloaded], [], 'the downloaded photo carries no GPS');
			await page.keyboard.press('Escape');
			assert.equal((await shown()).hidden, true, 'Esc closes the large view');

			const expired = await page.goto(onServer(expiring.json.link as string, serve));
			assert.equal(expired?.status(), 410);
			assert.match(await page.$eval('body', body => body.textContent ?? ''), /expired/);
			await page.screenshot({path: path.join(screenshots, 'expired-phone.png')});

			const form = await page.goto(onServer(locked.json.link as string, serve));
			assert.equal(form?.status(), 401);
			assert.equal(await page.$$eval('.cell', cells => cells.length), 0, 'no photo before the password');
			await page.type('input[type=password]', 'lake house 2018');
			const [wrong] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
			assert.equal(wrong?.status(), 401);
			assert.match(await page.$eval('body', body => body.textContent ?? ''), /not right/);
			await page.screenshot({path: path.join(screenshots, 'password-phone.png')});
			const formLayout = await page.evaluate(() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth}));
			assert.ok(formLayout.scrollWidth <= formLayout.innerWidth, `no horizontal overflow on the password form: ${JSON.stringify(formLayout)}`);
			await page.type('input[type=password]', 'lake house 2019');
			const [right] = await Promise.all([page.waitForNavigation({waitUntil: 'load'}), page.click('button[type=submit]')]);
			assert.equal(right?.status(), 200);
			assert.equal(await page.$$eval('.cell img', images => images.filter(image => (image as HTMLImageElement).naturalWidth > 0).length), photos2019.length, 'the password opens the gallery');
			const again = await page.goto(onServer(locked.json.link as string, serve));
			assert.equal(again?.status(), 200, 'asked once per browser session');
		} finally {
			await browser.close();
		}

		const actions = (entries: Array<Record<string, any>>) => entries.map(entry => `${entry.action} ${entry.status}`);
		const openLog = actions(await logOf(open.json.share.id as number));
		assert.deepEqual(openLog.filter(entry => entry.startsWith('gallery')), ['gallery 200']);
		assert.equal(openLog.filter(entry => entry === 'thumb 200').length, photos2019.length, 'each thumbnail');
		// The browser keeps a photo it has shown for the page's life: each photo viewed reaches the server once.
		const viewed = (await logOf(open.json.share.id as number)).filter(entry => entry.action === 'view').map(entry => `${entry.itemName} ${entry.status}`);
		assert.deepEqual(viewed.sort(), [names[0], names[1], names.at(-1)].map(name => `${name} 200`).sort(), 'each photo viewed');
		assert.deepEqual(openLog.filter(entry => entry.startsWith('download')), ['download 200']);
		assert.deepEqual(actions(await logOf(expiring.json.share.id as number)), ['gallery 410']);
		const lockedLog = actions(await logOf(locked.json.share.id as number));
		assert.deepEqual(lockedLog.slice(0, 4), ['login 401', 'login 401', 'login 303', 'gallery 200']);
		assert.equal(lockedLog.filter(entry => entry === 'thumb 200').length, photos2019.length);
	});
});

/** The one finished file Chromium downloads into `dir`. */
async function waitForDownload(dir: string, timeoutMs = 30_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const done = fs.readdirSync(dir).filter(name => !name.endsWith('.crdownload'));
		if (done.length > 0) {
			return path.join(dir, done[0]!);
		}

		if (Date.now() > deadline) {
			throw new Error(`no download in ${dir} after ${timeoutMs} ms`);
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}
}
