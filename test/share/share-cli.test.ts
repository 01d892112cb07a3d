import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {endExiftool, exiftool} from '../../source/adapters/exif.js';
import {Catalog} from '../../source/db/catalog.js';
import {ShareStore} from '../../source/db/shares.js';
import {UserError} from '../../source/errors.js';
import {verifyPassword} from '../../source/share/secret.js';
import * as share from '../../commands/share.js';
import * as shareAddRecipient from '../../commands/share-add-recipient.js';
import * as shareExtend from '../../commands/share-extend.js';
import * as shareList from '../../commands/share-list.js';
import * as shareLog from '../../commands/share-log.js';
import * as sharePurge from '../../commands/share-purge.js';
import * as shareRevoke from '../../commands/share-revoke.js';
import * as tagsImport from '../../commands/tags-import.js';
import {runCli, runJson} from '../helpers/cli.js';
import {makeGeoPhotos, tripPhotos} from '../helpers/geo-photos.js';
import {tempDir} from '../helpers/temp.js';
import {runInProcess} from './command.js';

const exiftoolBin = path.resolve(import.meta.dirname, '../../node_modules/exiftool-vendored.pl/bin/exiftool');

/** Every tag exiftool reads from the files, by file (`-a -G1`: duplicates and groups shown). */
function tagsOf(files: readonly string[]): Array<Record<string, unknown>> {
	return JSON.parse(execFileSync(exiftoolBin, ['-json', '-a', '-G1', ...files], {encoding: 'utf8'})) as Array<Record<string, unknown>>;
}

const gpsTags = (tags: Record<string, unknown>) => Object.keys(tags).filter(key => /gps|^[^:]*:(City|Country|Location)/i.test(key));

function hashes(root: string, relatives: readonly string[]): string[] {
	return relatives.map(relative => createHash('sha256').update(fs.readFileSync(path.join(root, relative))).digest('hex'));
}

function withStore<T>(root: string, use: (store: ShareStore) => T): T {
	const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'));
	try {
		return use(new ShareStore(catalog));
	} finally {
		catalog.close();
	}
}

describe('curate share on a library with a trip to Paris', () => {
	let root: string;
	const masters = tripPhotos.map(photo => photo.path);
	let before2019: string[];
	before(async () => {
		root = path.join(tempDir(), 'library');
		await makeGeoPhotos(root, tripPhotos);
		// A serial number (which --keep-gps still removes) and a sidecar title (the library's curation, which wins).
		await exiftool().write(path.join(root, 'inbox/c/IMG_0006.JPG'), {SerialNumber: '123456789'} as never, {writeArgs: ['-overwrite_original']});
		await exiftool().write(path.join(root, 'inbox/d/IMG_0009.JPG.xmp'), {'XMP-dc:Title': 'Birthday at home'} as never);
		await endExiftool();
		const scanned = await runJson(['scan', root, '--json']);
		assert.equal(scanned.result.code, 0, scanned.result.stderr);
		before2019 = hashes(root, masters);
	});
	after(async () => endExiftool());

	test('share year:2019 --expires 1h prints a link, and the copies, large and thumbnails, carry no GPS; the masters are untouched', async () => {
		const {result, json} = await runJson(['share', 'year:2019', '--expires', '1h', '--title', 'Paris and more', '--library', root, '--json']);
		assert.equal(result.code, 0, result.stderr);
		const expected = tripPhotos.filter(photo => photo.taken.startsWith('2019')).length;
		assert.equal(json.items.length, expected);
		assert.match(json.link, /^http:\/\/127\.0\.0\.1:8080\/s\/[\w-]{32}$/);
		assert.equal(json.share.password, false);
		assert.equal(json.share.passwordHash, undefined, 'the hash never leaves the catalog');
		const expiresIn = Date.parse(json.share.expiresAt) - Date.parse(json.share.createdAt);
		assert.equal(expiresIn, 3_600_000);
		const dir = path.join(root, '.curate', 'shares', String(json.share.id));
		const names = json.items.map((item: {name: string}) => item.name);
		assert.ok(names.every((name: string) => /^[\w-]+\.jpg$/.test(name)), names.join(' '));
		assert.deepEqual(fs.readdirSync(path.join(dir, 'large')).sort(), [...names].sort());
		assert.deepEqual(fs.readdirSync(path.join(dir, 'thumbs')).sort(), [...names].sort());
		assert.deepEqual(fs.readdirSync(path.join(root, '.curate', 'shares')), [String(json.share.id)], 'no staging folder left');
		const copies = names.flatMap((name: string) => [path.join(dir, 'large', name), path.join(dir, 'thumbs', name)]);
		for (const tags of tagsOf(copies)) {
			assert.deepEqual(gpsTags(tags), [], String(tags.SourceFile));
		}

		// The capture date stays; the sidecar's title wins over the file's nothing.
		const birthday = json.items.find((item: {name: string}) => item.name.endsWith('img-0009.jpg'));
		const [large] = tagsOf([path.join(dir, 'large', birthday.name)]);
		assert.equal(large!['ExifIFD:DateTimeOriginal'], '2019:09:01 18:00:00');
		assert.equal(large!['XMP-dc:Title'], 'Birthday at home');
		assert.equal(birthday.bytes, fs.statSync(path.join(dir, 'large', birthday.name)).size);
		assert.equal(birthday.sha256, createHash('sha256').update(fs.readFileSync(path.join(dir, 'large', birthday.name))).digest('hex'));
		assert.deepEqual([birthday.width, birthday.height], [64, 48]);
		assert.deepEqual(hashes(root, masters), before2019, 'no master changed');
		// Ordered by capture time: January's Paris photo first.
		assert.match(names[0], /^001-img-0005\.jpg$/);

		const text = await runCli(['share', 'list', '--library', root]);
		assert.equal(text.code, 0, text.stderr);
		assert.ok(text.stdout.includes(json.link), text.stdout);
		assert.ok(text.stdout.split('\n').every(line => line.length <= 80), text.stdout);
	});

	test('selections as export takes them: place:, tag: (after tags import), folders and filters', async () => {
		const run = async (...input: string[]) => runInProcess(share, input, {library: root, json: true});
		const lyon = await run('place:lyon');
		assert.equal(lyon.code, 0, lyon.stderr);
		assert.deepEqual(lyon.json.items.map((item: {name: string}) => item.name), ['001-img-0006.jpg']);

		const csv = path.join(root, '..', 'beach.csv');
		fs.writeFileSync(csv, 'path,tag,confidence,state\ninbox/a/IMG_0001.JPG,places/beach,,confirmed\ninbox/e/IMG_0010.JPG,places/beach,,confirmed\n');
		const imported = await runInProcess(tagsImport, [csv], {library: root, json: true});
		assert.equal(imported.code, 0, imported.stderr);
		const beach = await run('tag:beach');
		assert.equal(beach.code, 0, beach.stderr);
		assert.deepEqual(beach.json.items.map((item: {name: string}) => item.name), ['001-img-0001.jpg', '002-img-0010.jpg']);
		const dir = path.join(root, '.curate', 'shares', String(beach.json.share.id), 'large');
		const [first] = tagsOf([path.join(dir, '001-img-0001.jpg')]);
		assert.ok([first!['XMP-dc:Subject']].flat().includes('beach'), `the sidecar's keywords are on the copy: ${JSON.stringify(first)}`);

		const folder = await run('inbox/c', 'year:2018');
		assert.equal(folder.code, 0, folder.stderr);
		assert.deepEqual(folder.json.items.map((item: {name: string}) => item.name), ['001-img-0007.jpg']);
		await assert.rejects(run('year:1999'), (error: unknown) => error instanceof UserError && error.message === 'the selection matches no catalogued files');
	});

	test('--keep-gps keeps the location but not the serial number; --password-file stores only a scrypt hash; --allow-download is recorded', async () => {
		const passwordFile = path.join(root, '..', 'pass.txt');
		fs.writeFileSync(passwordFile, 'correct horse\n');
		const {code, stderr, json} = await runInProcess(share, ['place:lyon'], {keepGps: true, allowDownload: true, passwordFile, maxSize: 480, library: root, json: true});
		assert.equal(code, 0, stderr);
		assert.equal(json.share.password, true);
		assert.equal(json.share.allowDownload, true);
		const [large] = tagsOf([path.join(root, '.curate', 'shares', String(json.share.id), 'large', '001-img-0006.jpg')]);
		assert.ok(gpsTags(large!).length > 0, 'the location is kept');
		assert.equal(large!['ExifIFD:SerialNumber'] ?? large!['IFD0:SerialNumber'], undefined, 'the serial number still goes');
		const stored = withStore(root, store => store.byId(json.share.id)!);
		assert.match(stored.passwordHash!, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
		assert.ok(!stored.passwordHash!.includes('correct horse'));
		assert.equal(await verifyPassword(stored.passwordHash!, 'correct horse'), true);
		assert.equal(await verifyPassword(stored.passwordHash!, 'wrong'), false);
		assert.equal(stored.maxSize, 480);
	});

	test('extend, revoke and a recipient are reflected in the store; a revoked share stays closed and its copies go', async () => {
		const made = await runInProcess(share, ['inbox/a'], {expires: '2d', library: root, json: true});
		assert.equal(made.code, 0, made.stderr);
		const {id} = made.json.share;
		const extended = await runInProcess(shareExtend, [String(id), '3d'], {library: root, json: true});
		assert.equal(Date.parse(extended.json.expiresAt) - Date.parse(made.json.share.expiresAt), 3 * 86_400_000);
		assert.equal(withStore(root, store => store.byId(id)!.expiresAt), extended.json.expiresAt);

		const added = await runCli(['share', 'add-recipient', String(id), 'Aunt', 'Marie', '--library', root]);
		assert.equal(added.code, 0, added.stderr);
		const link = /^(http:\/\/127\.0\.0\.1:8080\/s\/([\w-]{32}))$/m.exec(added.stdout);
		assert.ok(link, added.stdout);
		const found = withStore(root, store => store.findByToken(link[2]!));
		assert.equal(found?.share.id, id);
		assert.equal(found?.recipient?.name, 'Aunt Marie');
		assert.notEqual(link[2], made.json.share.token);
		await assert.rejects(runInProcess(shareAddRecipient, [String(id), 'aunt marie'], {library: root}), /already has a recipient named "aunt marie"/);

		const revoked = await runInProcess(shareRevoke, [String(id)], {library: root, json: true});
		assert.equal(withStore(root, store => store.byId(id)!.revokedAt), revoked.json.revokedAt);
		assert.equal(fs.existsSync(path.join(root, '.curate', 'shares', String(id))), false, 'a revoked share\'s copies are removed');
		const again = await runCli(['share', 'extend', String(id), '1d', '--library', root]);
		assert.equal(again.code, 2);
		assert.equal(again.stderr, `curate: share ${id} was revoked; a revoked link stays closed (make a new share)\n`);
		const listed = await runInProcess(shareList, [], {library: root, json: true});
		assert.equal(listed.json.shares.find((entry: {id: number}) => entry.id === id).state, 'revoked');
		await assert.rejects(runInProcess(shareRevoke, ['999'], {library: root}), /^UserError: there is no share 999 \(curate share list shows them\)$/);
	});

	test('share log lists each request with the recipient where one was used, in text and --json, and purges by the configured age', async () => {
		const made = await runInProcess(share, ['place:lyon'], {library: root, json: true});
		const {id} = made.json.share;
		const {recipientId} = withStore(root, store => {
			const recipient = store.addRecipient(id, 'Bob', 'b'.repeat(32));
			const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
			store.recordAccess({at: old, shareId: id, status: 200, action: 'gallery', clientAddress: '192.0.2.1', method: 'GET', path: `/s/${made.json.share.token}`});
			store.recordAccess({shareId: id, recipientId: recipient.id, status: 200, action: 'view', itemName: '001-img-0006.jpg', clientAddress: '127.0.0.1', forwardedAddress: '203.0.113.7', userAgent: 'Mozilla/5.0', method: 'GET'});
			store.recordAccess({shareId: null, status: 404, action: 'not-found', clientAddress: '127.0.0.1', path: '/s/../\u001B]0;pwned\u0007', userAgent: '\u001B[31mevil'});
			return {recipientId: recipient.id};
		});
		const {code, json} = await runInProcess(shareLog, [String(id)], {library: root, json: true});
		assert.equal(code, 0);
		assert.deepEqual(json.entries.map((entry: {action: string; recipientName: string | null; recipientId: number | null}) => [entry.action, entry.recipientName, entry.recipientId]), [
			['gallery', null, null],
			['view', 'Bob', recipientId],
		]);
		assert.equal(json.entries[1].forwardedAddress, '203.0.113.7');
		assert.equal(json.entries[1].userAgent, 'Mozilla/5.0');
		const all = await runCli(['share', 'log', '--library', root]);
		assert.equal(all.code, 0, all.stderr);
		assert.match(all.stdout, / Bob +203\.0\.113\.7 +200 view +001-img-0006\.jpg$/m);
		assert.ok(!all.stdout.includes('\u001B'), 'what visitors sent never reaches the terminal raw');
		assert.ok(all.stdout.split('\n').every(line => line.length <= 80), all.stdout);

		fs.writeFileSync(path.join(root, '.curate', 'config.json'), JSON.stringify({share: {logRetentionDays: 2}}));
		const purged = await runInProcess(sharePurge, [], {library: root, json: true});
		assert.equal(purged.json.entries, 1);
		const left = await runInProcess(shareLog, [String(id)], {library: root, json: true});
		assert.deepEqual(left.json.entries.map((entry: {action: string}) => entry.action), ['view']);
		fs.rmSync(path.join(root, '.curate', 'config.json'));
	});

	test('bad input gets one clear line and makes nothing; --help never acts', async () => {
		const count = () => withStore(root, store => store.list().length);
		const before = count();
		for (const [args, message] of [
			[['share', 'year:2019', '--expires', '7'], /^curate: --expires takes a number and a unit: 30m, 12h, 7d or 2w \(got "7"\)\n$/],
			[['share', 'revoke', 'abc'], /^curate: "abc" is not a share number \(curate share list shows them\)\n$/],
		] as const) {
			// eslint-disable-next-line no-await-in-loop
			const result = await runCli([...args, '--library', root]);
			assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
			assert.match(result.stderr, message);
		}

		for (const [module, input, flags, message] of [
			[share, ['year:2019'], {expires: '0d'}, /^--expires must be more than 0 and at most 366d/],
			[share, ['year:2019'], {passwordFile: path.join(root, 'nope')}, /^cannot read --password-file .*nope: ENOENT$/],
			[share, ['year:2019'], {passwordFile: path.join(root, 'inbox')}, /is not a file$/],
			[share, ['year:2019'], {maxSize: 100}, /^--max-size must be a whole number of pixels from 480 to 16384$/],
			[share, ['year:2019'], {baseUrl: 'ftp://nas'}, /^--base-url must be an http or https URL/],
			[shareAddRecipient, ['1'], {}, /^who is it for\?/],
			[shareAddRecipient, ['1', '\u001B[31m'], {}, /^a recipient's name is 1 to 80 characters on one line/],
			[shareExtend, ['1', '400d'], {}, /^the duration must be more than 0 and at most 366d/],
			[shareLog, ['0'], {}, /^"0" is not a share number/],
		] as const) {
			// eslint-disable-next-line no-await-in-loop
			await assert.rejects(runInProcess(module, input, {library: root, ...flags}), (error: unknown) => error instanceof UserError && message.test(error.message), `${input.join(' ')} ${JSON.stringify(flags)}`);
		}

		const help = await runCli(['share', 'year:2019', '--expires', '1h', '--library', root, '--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /curate share SELECTION/);
		const revokeHelp = await runCli(['share', 'revoke', '1', '--help', '--library', root]);
		assert.equal(revokeHelp.code, 0);
		assert.equal(withStore(root, store => store.byId(1)!.revokedAt), null, 'revoke --help revoked nothing');
		assert.equal(count(), before);
	});
});
