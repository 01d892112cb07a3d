/**
 * Taking back one recipient's link (`curate share revoke ID --recipient NAME`), with the real CLI and the real
 * `curate serve` answering curl: that link answers 410 like a revoked share, the share's own link and the other
 * recipients' keep working, and the log keeps every entry.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {runCli, runJson} from '../helpers/cli.js';
import {tripPhotos} from '../helpers/geo-photos.js';
import {curl, onServer, type ServeProcess, serveGeoLibrary, stopServe} from '../serve/cli-server.js';

/** The status curl gets for `url`. */
const status = async (url: string) => (await curl(url)).status;

describe('curate share revoke ID --recipient NAME', () => {
	let root: string;
	let serve: ServeProcess;
	before(async () => {
		({root, serve} = await serveGeoLibrary(tripPhotos.filter(photo => photo.taken.startsWith('2019:05')), 'curate-revoke-recipient-'));
	});
	after(async () => {
		await stopServe(serve);
	});

	test('after revoking Anna\'s link it answers 410 like a revoked share, the share\'s own link and Ben\'s keep working, the log keeps Anna\'s visits, and share list --json shows her revoked', async () => {
		const shared = await runJson(['share', '.', '--expires', '1h', '--json'], {cwd: root});
		assert.equal(shared.result.code, 0, shared.result.stderr);
		const id = shared.json.share.id as number;
		const own = onServer(shared.json.link as string, serve);
		const photo = `/large/${encodeURIComponent(shared.json.items[0].name as string)}`;
		const links: Record<string, string> = {};
		for (const name of ['Anna', 'Ben']) {
			// eslint-disable-next-line no-await-in-loop
			const added = await runJson(['share', 'add-recipient', String(id), name, '--json'], {cwd: root});
			assert.equal(added.result.code, 0, added.result.stderr);
			links[name] = onServer(added.json.link as string, serve);
		}

		for (const url of [own, links['Anna']!, links['Ben']!, `${links['Anna']!}${photo}`]) {
			// eslint-disable-next-line no-await-in-loop
			assert.equal(await status(url), 200, url);
		}

		// Named as add-recipient names: in any case.
		const revoked = await runCli(['share', 'revoke', String(id), '--recipient', 'anna'], {cwd: root});
		assert.equal(revoked.code, 0, revoked.stderr);
		assert.match(revoked.stdout, /^Anna's link to share \d+ is now revoked \(.+\): it answers 410 Gone/);

		assert.equal(await status(links['Anna']!), 410);
		assert.equal(await status(`${links['Anna']!}${photo}`), 410, 'her link opens no photo either');
		for (const url of [own, links['Ben']!, `${links['Ben']!}${photo}`, `${own}${photo}`]) {
			// eslint-disable-next-line no-await-in-loop
			assert.equal(await status(url), 200, `${url} still opens`);
		}

		const log = await runJson(['share', 'log', String(id), '--json'], {cwd: root});
		const anna = (log.json.entries as Array<Record<string, any>>).filter(entry => entry.recipientName === 'Anna').map(entry => entry.status);
		assert.deepEqual(anna, [200, 200, 410, 410], 'her visits before and after stay in the log, under her name');

		const list = await runJson(['share', 'list', '--json'], {cwd: root});
		const listed = (list.json.shares as Array<Record<string, any>>).find(share => share.id === id)!;
		assert.equal(listed.state, 'open', 'the share itself stays open');
		assert.equal(listed.revokedAt, null);
		const byName = Object.fromEntries((listed.recipientLinks as Array<Record<string, any>>).map(recipient => [recipient.name, recipient.revokedAt]));
		assert.match(String(byName['Anna']), /^\d{4}-\d\d-\d\dT/, 'Anna is shown revoked');
		assert.equal(byName['Ben'], null);
		const text = await runCli(['share', 'list'], {cwd: root});
		assert.match(text.stdout, /^ {6}Anna: revoked \d{4}-\d\d-\d\d/m, 'the text list says Anna was revoked instead of dropping her');
		assert.match(text.stdout, /^ {6}Ben: http/m);
		assert.ok(!text.stdout.includes(links['Anna']!), 'her closed link is not listed');

		// Again: said, and the first time stays recorded.
		const again = await runJson(['share', 'revoke', String(id), '--recipient', 'Anna', '--json'], {cwd: root});
		assert.equal(again.result.code, 0, again.result.stderr);
		assert.equal(again.json.already, true);
		assert.equal(again.json.recipient.revokedAt, byName['Anna']);
	});

	test('revoking a recipient the share does not have says so in one line, names those it has, and closes nothing', async () => {
		const shared = await runJson(['share', '.', '--expires', '1h', '--json'], {cwd: root});
		const id = shared.json.share.id as number;
		const added = await runJson(['share', 'add-recipient', String(id), 'Aunt', 'Marie', '--json'], {cwd: root});
		const result = await runCli(['share', 'revoke', String(id), '--recipient', 'Marie'], {cwd: root});
		assert.equal(result.code, 2, result.stderr);
		assert.equal(result.stderr, `curate: share ${id} has no recipient named "Marie" (its recipients: "Aunt Marie")\n`);
		assert.equal(await status(onServer(added.json.link as string, serve)), 200);
		assert.equal(await status(onServer(shared.json.link as string, serve)), 200);
	});
});
