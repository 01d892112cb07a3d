import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {ShareStore} from '../../source/db/shares.js';
import {runCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/temp.js';
import {startServe} from './cli-server.js';
import {addShare} from './fixture.js';

test('curate serve prints where it listens, serves a share, logs each request and stops on Ctrl-C with exit 0', async () => {
	const root = tempDir('curate-serve-cli-');
	const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'));
	const store = new ShareStore(catalog);
	const {share, names} = await addShare({root, store});
	catalog.close();
	const serve = await startServe(['--port', '0', '--base-url', 'https://photos.example.org/', '--trust-proxy', '127.0.0.1'], root);
	let stopped = false;
	try {
		assert.match(serve.output().stdout, /serving shares on http:\/\/127\.0\.0\.1:\d+ \(public address https:\/\/photos\.example\.org\); Ctrl-C stops/);
		const page = await fetch(`${serve.url}/s/${share.token}`);
		assert.equal(page.status, 200);
		assert.match(await page.text(), /Weekend at the lake/);
		const thumb = await fetch(`${serve.url}/s/${share.token}/thumb/${names[0]}`, {headers: {'x-forwarded-for': '203.0.113.9'}});
		assert.equal(thumb.status, 200);
		await thumb.arrayBuffer();
		assert.equal((await fetch(`${serve.url}/`)).status, 404);
		const result = await serve.stop();
		stopped = true;
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, new RegExp(`127\\.0\\.0\\.1 GET share ${share.id} gallery 200`));
		assert.match(result.stdout, new RegExp(`203\\.0\\.113\\.9 via 127\\.0\\.0\\.1 GET share ${share.id} thumb ${names[0]} 200`));
		assert.match(result.stdout, /stopped\n$/);
	} finally {
		if (!stopped) {
			await serve.stop();
		}
	}

	const reopened = Catalog.open(path.join(root, '.curate', 'catalog.db'), {readonly: true});
	try {
		assert.deepEqual(new ShareStore(reopened).access(share.id).map(entry => [entry.action, entry.forwardedAddress, entry.status]), [['gallery', null, 200], ['thumb', '203.0.113.9', 200]]);
	} finally {
		reopened.close();
	}
});

test('curate serve refuses a bad flag and a port in use in one line', async () => {
	const root = tempDir('curate-serve-cli-');
	Catalog.open(path.join(root, '.curate', 'catalog.db')).close();
	const bad = await runCli(['serve', '--base-url', 'photos.example.org'], {cwd: root});
	assert.equal(bad.code, 2);
	assert.equal(bad.stderr, 'curate: --base-url must be a URL such as https://photos.example.net (got "photos.example.org")\n');
	const first = await startServe(['--port', '0'], root);
	try {
		const port = new URL(first.url).port;
		const second = await runCli(['serve', '--port', port], {cwd: root});
		assert.equal(second.code, 2);
		assert.equal(second.stderr, `curate: port ${port} on 127.0.0.1 is already in use; choose another with --port\n`);
	} finally {
		await first.stop();
	}
});
