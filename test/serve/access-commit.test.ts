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
	let commits: number[] = [];
	const store = fixture.store;
	const counted: ShareSource = {
		findByToken: token => store.findByToken(token),
		item: (shareId, name) => store.item(shareId, name),
		items: shareId => store.items(shareId),
		recordAccesses(entries) {
			commits.push(entries.length);
			store.recordAccesses(entries);
		},
	};
	const server = await startServer({root: fixture.root, store: counted, bind: '127.0.0.1', port: 0});
	const reader = Catalog.open(path.join(fixture.root, '.curate', 'catalog.db'), {readonly: true});
	try {
		// Requests share a commit when they reach the log in one turn of the event loop. The client runs in this process
		// too, so how many do depends on the machine's load: a loaded CI machine saw eight requests in eight commits now
		// and then. Every round must log each request before its answer; at least one of a few rounds must share commits.
		const rounds: number[][] = [];
		let answered = 0;
		while (rounds.length < 5 && !rounds.some(round => round.length < names.length)) {
			commits = [];
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
			rounds.push(commits);
		}

		assert.ok(rounds.some(round => round.length < names.length), `8 requests in ${rounds.map(round => `${round.length} commits (${round.join(', ')})`).join(', then ')}`);
		assert.deepEqual(
			new ShareStore(reader).access(share.id).map(entry => entry.itemName).sort(),
			rounds.flatMap(() => names).sort(),
		);
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
