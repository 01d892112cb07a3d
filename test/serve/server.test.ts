import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {ShareStore} from '../../source/db/shares.js';
import {startServer} from '../../source/serve/server.js';
import {addShare, type Fixture, login, request, serveFixture} from './fixture.js';

describe('curate serve over HTTP', () => {
	let fixture: Fixture;
	before(async () => {
		fixture = await serveFixture();
	});
	after(async () => fixture.close());

	const logOf = (shareId?: number) => fixture.store.access(shareId);

	test('a link shows its photos, each served from the share\'s own copies, with a strict policy and no referrer', async () => {
		const {share, names} = await addShare(fixture);
		const page = await request(fixture.server, `/s/${share.token}`);
		assert.equal(page.status, 200);
		assert.match(String(page.headers['content-type']), /text\/html/);
		const csp = String(page.headers['content-security-policy']);
		assert.match(csp, /default-src 'none'/);
		assert.match(csp, /script-src 'sha256-/);
		assert.doesNotMatch(csp, /unsafe-inline|\*/);
		assert.equal(page.headers['referrer-policy'], 'no-referrer');
		assert.match(page.text, /Weekend at the lake/);
		for (const name of names) {
			assert.ok(page.text.includes(`src="${share.token}/thumb/${name}"`), `thumbnail of ${name} in the page`);
			assert.ok(page.text.includes(`href="${share.token}/large/${name}"`), `large view of ${name} in the page`);
		}

		assert.doesNotMatch(page.text, /id="download"|data-download|\/download\//, 'no download button on a view-only share');
		assert.doesNotMatch(page.text, /<(?:link|script) [^>]*(?:src|href)=/, 'no external assets');
		const slash = await request(fixture.server, `/s/${share.token}/`);
		assert.ok(slash.text.includes(`src="thumb/${names[0]}"`), 'links stay relative with a trailing slash');

		const thumb = await request(fixture.server, `/s/${share.token}/thumb/${names[0]}`);
		assert.equal(thumb.status, 200);
		assert.equal(thumb.headers['content-type'], 'image/jpeg');
		assert.deepEqual(thumb.body, fs.readFileSync(path.join(fixture.root, share.dir, 'thumbs', names[0]!)));
		const large = await request(fixture.server, `/s/${share.token}/large/${names[1]}`);
		assert.deepEqual(large.body, fs.readFileSync(path.join(fixture.root, share.dir, 'large', names[1]!)));
		assert.deepEqual(
			logOf(share.id).map(entry => [entry.action, entry.itemName, entry.status, entry.clientAddress]),
			[
				['gallery', null, 200, '127.0.0.1'],
				['gallery', null, 200, '127.0.0.1'],
				['thumb', names[0], 200, '127.0.0.1'],
				['view', names[1], 200, '127.0.0.1'],
			],
		);
	});

	test('a browser revalidating a photo gets 304 from its ETag, and the view is still logged', async () => {
		const {share, names} = await addShare(fixture, {count: 1});
		const first = await request(fixture.server, `/s/${share.token}/large/${names[0]}`);
		const again = await request(fixture.server, `/s/${share.token}/large/${names[0]}`, {headers: {'if-none-match': String(first.headers.etag)}});
		assert.equal(again.status, 304);
		assert.equal(again.body.length, 0);
		assert.deepEqual(logOf(share.id).map(entry => [entry.action, entry.status]), [['view', 200], ['view', 304]]);
	});

	test('an unknown token answers 404 and is logged; an address outside /s/ answers 404', async () => {
		const before = logOf().length;
		for (const url of ['/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/thumb/x.jpg', '/s/short', '/s/']) {
			// eslint-disable-next-line no-await-in-loop
			assert.equal((await request(fixture.server, url)).status, 404, url);
		}

		for (const url of ['/', '/index.html', '/.curate/catalog.db', '/favicon.ico']) {
			// eslint-disable-next-line no-await-in-loop
			const response = await request(fixture.server, url);
			assert.equal(response.status, 404, url);
		}

		const logged = logOf().slice(before);
		assert.deepEqual(logged.map(entry => [entry.path, entry.shareId, entry.action, entry.status]), [
			['/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', null, 'not-found', 404],
			['/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/thumb/x.jpg', null, 'not-found', 404],
			['/s/short', null, 'not-found', 404],
			['/s/', null, 'not-found', 404],
		]);
	});

	test('path traversal (../, %2e%2e%2f, double-encoded, backslashes, a symlink in the share) gets 404, is logged, and never the file', async () => {
		const {share, names} = await addShare(fixture);
		const secret = 'SECRET-OUTSIDE-THE-SHARE';
		fs.writeFileSync(path.join(fixture.root, 'secret.txt'), secret);
		const outside = fs.mkdtempSync(path.join(fixture.root, 'outside-'));
		fs.writeFileSync(path.join(outside, names[2]!), secret);
		// A copy replaced by a link to a file outside, and the whole thumbs folder replaced by a link to a folder outside.
		const large = path.join(fixture.root, share.dir, 'large', names[0]!);
		fs.rmSync(large);
		fs.symlinkSync(path.join(fixture.root, 'secret.txt'), large);
		const thumbs = path.join(fixture.root, share.dir, 'thumbs');
		fs.renameSync(thumbs, `${thumbs}-real`);
		fs.symlinkSync(outside, thumbs);
		const t = share.token;
		const attempts = [
			`/s/${t}/../../secret.txt`,
			`/s/${t}/../../.curate/catalog.db`,
			`/s/${t}/large/../../../../secret.txt`,
			`/s/${t}/large/..%2f..%2f..%2f..%2fsecret.txt`,
			`/s/${t}/large/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt`,
			`/s/${t}/large/%252e%252e%252f%252e%252e%252fsecret.txt`,
			`/s/${t}/large/..%5c..%5csecret.txt`,
			`/s/${t}/large/%2e%2e`,
			`/s/${t}/large/%zz`,
			`/s/${t}/large/${names[0]}`,
			`/s/${t}/thumb/${names[2]}`,
			`/s/${t}/large/%2fetc%2fpasswd`,
			`/s/${t}/download/..%2f..%2fcatalog.db`,
		];
		const before = logOf(share.id).length;
		for (const url of attempts) {
			// eslint-disable-next-line no-await-in-loop
			const response = await request(fixture.server, url);
			assert.equal(response.status, 404, url);
			assert.equal(response.headers['referrer-policy'], 'no-referrer', `${url}: the same headers as any answer`);
			assert.ok(!response.text.includes(secret), `${url} showed the file`);
		}

		const logged = logOf(share.id).slice(before);
		assert.deepEqual(logged.map(entry => [entry.path, entry.status]), attempts.map(url => [url, 404]), 'each attempt logged against its share');
		assert.ok(logged.every(entry => entry.action === 'not-found'));
		assert.equal((await request(fixture.server, `/s/${t}/large/${names[1]}`)).status, 200, 'the other copies are still served');
	});

	test('a revoked or expired link answers 410 with a plain page, logged; so does a revoked recipient\'s', async () => {
		const {share, names} = await addShare(fixture);
		const anna = fixture.store.addRecipient(share.id, 'Anna', 'anna-AAAAAAAAAAAAAAAAAAAAAAAAAAAA');
		assert.equal((await request(fixture.server, `/s/${anna.token}`)).status, 200);
		fixture.store.revokeRecipient(anna.id);
		assert.equal((await request(fixture.server, `/s/${anna.token}`)).status, 410);
		assert.equal((await request(fixture.server, `/s/${share.token}`)).status, 200, 'the share itself stays open');
		fixture.store.revoke(share.id);
		for (const url of [`/s/${share.token}`, `/s/${share.token}/thumb/${names[0]}`, `/s/${share.token}/large/${names[0]}`]) {
			// eslint-disable-next-line no-await-in-loop
			const response = await request(fixture.server, url);
			assert.equal(response.status, 410, url);
			assert.match(response.text, /withdrawn/);
			assert.ok(!response.text.includes('thumb/'), 'no photos on a plain page');
		}

		const expired = await addShare(fixture, {expiresAt: new Date(Date.now() - 1000).toISOString()});
		const gone = await request(fixture.server, `/s/${expired.share.token}`);
		assert.equal(gone.status, 410);
		assert.match(gone.text, /expired/);
		assert.deepEqual(logOf(share.id).map(entry => [entry.recipientId, entry.status]), [
			[anna.id, 200],
			[anna.id, 410],
			[null, 200],
			[null, 410],
			[null, 410],
			[null, 410],
		]);
		assert.equal(logOf(share.id)[0]!.recipientName, 'Anna', 'the log says who');
		assert.deepEqual(logOf(expired.share.id).map(entry => [entry.action, entry.status]), [['gallery', 410]]);
	});

	test('downloads are refused with 403 unless the share allows them', async () => {
		const viewOnly = await addShare(fixture, {count: 1});
		const refused = await request(fixture.server, `/s/${viewOnly.share.token}/download/${viewOnly.names[0]}`);
		assert.equal(refused.status, 403);
		assert.notEqual(refused.headers['content-type'], 'image/jpeg');
		const allowed = await addShare(fixture, {count: 1, allowDownload: true});
		const page = await request(fixture.server, `/s/${allowed.share.token}`);
		assert.match(page.text, /id="download"/);
		const download = await request(fixture.server, `/s/${allowed.share.token}/download/${allowed.names[0]}`);
		assert.equal(download.status, 200);
		assert.match(String(download.headers['content-disposition']), /^attachment; filename="01-photo\.jpg"/);
		assert.deepEqual(download.body, fs.readFileSync(path.join(fixture.root, allowed.share.dir, 'large', allowed.names[0]!)));
		assert.deepEqual(logOf(viewOnly.share.id).map(entry => [entry.action, entry.status]), [['denied', 403]]);
		assert.deepEqual(logOf(allowed.share.id).map(entry => [entry.action, entry.status]), [['gallery', 200], ['download', 200]]);
	});

	test('a password share asks once per browser session: a signed HttpOnly SameSite=Strict cookie; a wrong password is refused', async () => {
		const {share, names} = await addShare(fixture, {password: 'correct horse'});
		const form = await request(fixture.server, `/s/${share.token}`);
		assert.equal(form.status, 401);
		assert.match(form.text, /type="password"/);
		assert.ok(!form.text.includes('thumb/'), 'no photo before the password');
		assert.equal((await request(fixture.server, `/s/${share.token}/thumb/${names[0]}`)).status, 401, 'nor a photo by its address');
		const wrong = await login(fixture.server, share.token, 'wrong horse');
		assert.equal(wrong.status, 401);
		assert.match(wrong.text, /not right/);
		assert.equal(wrong.headers['set-cookie'], undefined);
		const right = await login(fixture.server, share.token, 'correct horse');
		assert.equal(right.status, 303);
		assert.equal(right.headers.location, './');
		const cookie = String(right.headers['set-cookie']);
		assert.match(cookie, /HttpOnly/);
		assert.match(cookie, /SameSite=Strict/);
		assert.doesNotMatch(cookie, /Expires|Max-Age/, 'a session cookie: it ends with the browser session');
		const session = cookie.split(';')[0]!;
		const page = await request(fixture.server, `/s/${share.token}/`, {headers: {cookie: session}});
		assert.equal(page.status, 200);
		assert.equal((await request(fixture.server, `/s/${share.token}/thumb/${names[0]}`, {headers: {cookie: session}})).status, 200);
		const [name, value] = session.split('=') as [string, string];
		const forged = `${name}=${value.replace(/.$/, character => (character === 'A' ? 'B' : 'A'))}`;
		assert.equal((await request(fixture.server, `/s/${share.token}/`, {headers: {cookie: forged}})).status, 401, 'a tampered cookie opens nothing');
		const other = await addShare(fixture, {password: 'other'});
		assert.equal((await request(fixture.server, `/s/${other.share.token}/`, {headers: {cookie: `curate-share-${other.share.id}=${value}`}})).status, 401, 'nor another share');
		assert.deepEqual(logOf(share.id).map(entry => [entry.action, entry.status]), [
			['login', 401],
			['denied', 401],
			['login', 401],
			['login', 303],
			['gallery', 200],
			['thumb', 200],
			['login', 401],
		]);
	});

	test('a restarted server asks for the password again', async () => {
		const {share} = await addShare(fixture, {password: 'pw'});
		const session = String((await login(fixture.server, share.token, 'pw')).headers['set-cookie']).split(';')[0]!;
		const second = await startServer({root: fixture.root, store: fixture.store, bind: '127.0.0.1', port: 0});
		try {
			assert.equal((await request(second, `/s/${share.token}/`, {headers: {cookie: session}})).status, 401);
		} finally {
			await second.close();
		}
	});

	test('a photo whose access cannot be recorded is not sent', async () => {
		const {share, names} = await addShare(fixture, {count: 1});
		const readOnly = Catalog.open(path.join(fixture.root, '.curate', 'catalog.db'), {readonly: true});
		const errors: unknown[] = [];
		const server = await startServer({root: fixture.root, store: new ShareStore(readOnly), bind: '127.0.0.1', port: 0, onError: error => errors.push(error)});
		try {
			const response = await request(server, `/s/${share.token}/large/${names[0]}`);
			assert.equal(response.status, 503);
			assert.match(String(response.headers['content-type']), /text\/html/);
			assert.equal(errors.length, 1);
		} finally {
			await server.close();
			readOnly.close();
		}
	});
});

describe('curate serve behind a reverse proxy', () => {
	test('wrong passwords are limited to 5 per client and share; the forwarded address counts only from the trusted proxy', async () => {
		const fixture = await serveFixture({trustedProxies: ['127.0.0.1']});
		const untrusting = await startServer({root: fixture.root, store: fixture.store, bind: '127.0.0.1', port: 0});
		try {
			const {share} = await addShare(fixture, {password: 'right'});
			const from = (address: string) => ({'x-forwarded-for': `198.51.100.1, ${address}`});
			for (let attempt = 1; attempt <= 5; attempt++) {
				// eslint-disable-next-line no-await-in-loop
				assert.equal((await login(fixture.server, share.token, `guess ${attempt}`, from('203.0.113.5'))).status, 401);
			}

			const limited = await login(fixture.server, share.token, 'right', from('203.0.113.5'));
			assert.equal(limited.status, 429, 'the sixth try is refused, even with the right password');
			assert.ok(Number(limited.headers['retry-after']) > 0);
			assert.match(limited.text, /try again in 15 minutes/);
			assert.equal((await login(fixture.server, share.token, 'right', from('203.0.113.6'))).status, 303, 'another visitor is not held back');
			const other = await addShare(fixture, {password: 'right'});
			assert.equal((await login(fixture.server, other.share.token, 'right', from('203.0.113.5'))).status, 303, 'nor the same visitor on another share');

			await request(untrusting, `/s/${share.token}`, {headers: from('203.0.113.7')});
			const log = fixture.store.access(share.id);
			assert.deepEqual(
				log.map(entry => [entry.clientAddress, entry.forwardedAddress, entry.status]),
				[
					...Array.from({length: 5}, () => ['127.0.0.1', '203.0.113.5', 401]),
					['127.0.0.1', '203.0.113.5', 429],
					['127.0.0.1', '203.0.113.6', 303],
					['127.0.0.1', null, 401],
				],
				'X-Forwarded-For is believed only from the configured proxy',
			);
		} finally {
			await untrusting.close();
			await fixture.close();
		}
	});
});
