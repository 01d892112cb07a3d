/**
 * The access log's group commit: requests that arrive together share one fully synced commit, and still none is
 * answered before its record is in the catalog; when the commit fails, none of them gets its photo.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {ShareStore} from '../../source/db/shares.js';
import {startServer} from '../../source/serve/server.js';
import type {ShareSource} from '../../source/serve/types.js';
import {addShare, request, serveFixture} from './fixture.js';

test('a gallery\'s thumbnails asked for at once are each in the log before their answer arrives, in fewer commits than requests', async () => {
	const fixture = await serveFixture();
	const {share, names} = await addShare(fixture, {count: 8});
	const commits: number[] = [];
	const store = fixture.store;
	const counted: ShareSource = {
		findByToken: token => store.findByToken(token),
		item: (shareId, name) => store.item(shareId, name),
		items: shareId => store.items(shareId),
		recordAccesses(entries) {
			commits.push(entries.length);
			store.recordAccesses(entries);
			if (commits.length === 1) {
				// The first sync takes as long as a slow disk's can: the requests that arrive meanwhile must share a commit.
				// Without it, whether they arrive within one turn of the event loop depends on the machine's load (CI saw
				// eight requests in eight commits on a loaded machine).
				Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
			}
		},
	};
	const server = await startServer({root: fixture.root, store: counted, bind: '127.0.0.1', port: 0});
	const reader = Catalog.open(path.join(fixture.root, '.curate', 'catalog.db'), {readonly: true});
	try {
		let answered = 0;
		const seen: number[] = [];
		await Promise.all(names.map(async name => {
			const response = await request(server, `/s/${share.token}/thumb/${name}`);
			assert.equal(response.status, 200);
			answered++;
			// Read through another connection, as `curate share log` would.
			seen.push(new ShareStore(reader).access(share.id).length - answered);
		}));
		assert.ok(seen.every(extra => extra >= 0), `every answer arrived after its record: ${seen.join(' ')}`);
		assert.equal(commits.reduce((sum, count) => sum + count, 0), names.length);
		assert.ok(commits.length < names.length, `8 requests in ${commits.length} commits (${commits.join(', ')})`);
		assert.deepEqual(new ShareStore(reader).access(share.id).map(entry => entry.itemName).sort(), [...names].sort());
	} finally {
		reader.close();
		await server.close();
		await fixture.close();
	}
});

test('when the log cannot be written, none of the photos asked for at once is sent', async () => {
	const fixture = await serveFixture();
	const {share, names} = await addShare(fixture, {count: 8});
	const readOnly = Catalog.open(path.join(fixture.root, '.curate', 'catalog.db'), {readonly: true});
	const errors: unknown[] = [];
	const server = await startServer({root: fixture.root, store: new ShareStore(readOnly), bind: '127.0.0.1', port: 0, onError: error => errors.push(error)});
	try {
		const responses = await Promise.all(names.map(async name => request(server, `/s/${share.token}/large/${name}`)));
		assert.deepEqual(responses.map(response => response.status), names.map(() => 503));
		assert.ok(responses.every(response => !response.body.includes(Buffer.from([0xFF, 0xD8]))), 'no JPEG bytes');
		assert.ok(errors.length > 0);
		assert.deepEqual(fixture.store.access(share.id), []);
	} finally {
		await server.close();
		readOnly.close();
		await fixture.close();
	}
});
