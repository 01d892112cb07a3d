import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {ShareStore, shareState} from '../../source/db/shares.js';
import {tempDir} from '../helpers/temp.js';

function store() {
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	return {catalog, shares: new ShareStore(catalog)};
}

const item = (name: string) => ({name, fileId: null, width: 10, height: 5, bytes: 100, sha256: 'a'.repeat(64)});

test('a share keeps its items in order, and its folder is named after its number', () => {
	const {catalog, shares} = store();
	try {
		const share = shares.create({token: 't1', expiresAt: '2099-01-01T00:00:00.000Z', maxSize: 2048, title: 'Weekend', items: [item('b.jpg'), item('a.jpg')]});
		assert.equal(share.dir, `.curate/shares/${share.id}`);
		assert.equal(share.allowDownload, false, 'view-only by default');
		assert.deepEqual(shares.items(share.id).map(row => [row.position, row.name]), [[0, 'b.jpg'], [1, 'a.jpg']]);
		assert.equal(shares.item(share.id, 'a.jpg')?.position, 1);
		assert.equal(shares.item(share.id, '../a.jpg'), undefined);
		assert.deepEqual(shares.list().map(row => [row.id, row.items, row.recipients]), [[share.id, 2, 0]]);
		assert.throws(() => shares.create({token: 't2', expiresAt: '2099-01-01T00:00:00.000Z', maxSize: 1, items: [item('x.jpg'), item('x.jpg')]}), /UNIQUE/);
		assert.equal(shares.list().length, 1, 'a failed create leaves no row');
	} finally {
		catalog.close();
	}
});

test('a token finds its share, a recipient token finds the share and who, anything else nothing', () => {
	const {catalog, shares} = store();
	try {
		const share = shares.create({token: 'share-token', expiresAt: '2099-01-01T00:00:00.000Z', maxSize: 2048, items: []});
		const anna = shares.addRecipient(share.id, 'Anna', 'anna-token');
		assert.equal(shares.findByToken('share-token')?.share.id, share.id);
		assert.equal(shares.findByToken('share-token')?.recipient, undefined);
		assert.equal(shares.findByToken('anna-token')?.recipient?.name, 'Anna');
		assert.equal(shares.findByToken('anna-token')?.share.id, share.id);
		assert.equal(shares.findByToken('nope'), undefined);
		assert.equal(shareState(share), 'open');
		assert.ok(shares.revokeRecipient(anna.id));
		assert.equal(shareState(share, shares.findByToken('anna-token')!.recipient), 'revoked', 'a revoked recipient token is closed');
		assert.equal(shareState(share), 'open', 'the share itself stays open');
	} finally {
		catalog.close();
	}
});

test('revoke is recorded once, extend moves the expiry, and the state follows both', () => {
	const {catalog, shares} = store();
	try {
		const share = shares.create({token: 't', expiresAt: '2020-01-01T00:00:00.000Z', maxSize: 2048, items: []});
		assert.equal(shareState(share), 'expired');
		assert.ok(shares.extend(share.id, '2099-01-01T00:00:00.000Z'));
		assert.equal(shareState(shares.byId(share.id)!), 'open');
		assert.ok(shares.revoke(share.id, '2026-01-01T00:00:00.000Z'));
		assert.equal(shares.revoke(share.id), false);
		assert.equal(shares.byId(share.id)!.revokedAt, '2026-01-01T00:00:00.000Z');
		assert.equal(shareState(shares.byId(share.id)!), 'revoked');
		assert.deepEqual(shares.deadBefore('2026-06-01T00:00:00.000Z').map(row => row.id), [share.id]);
		assert.deepEqual(shares.deadBefore('2025-06-01T00:00:00.000Z'), []);
	} finally {
		catalog.close();
	}
});

test('the log keeps every request with the recipient\'s name, per share or all, and purges by age', () => {
	const {catalog, shares} = store();
	try {
		const share = shares.create({token: 't', expiresAt: '2099-01-01T00:00:00.000Z', maxSize: 2048, items: []});
		const anna = shares.addRecipient(share.id, 'Anna', 'a');
		shares.recordAccess({at: '2026-01-01T00:00:00.000Z', shareId: share.id, status: 200, action: 'gallery', clientAddress: '127.0.0.1'});
		shares.recordAccess({at: '2026-02-01T00:00:00.000Z', shareId: share.id, recipientId: anna.id, status: 200, action: 'view', itemName: 'a.jpg', forwardedAddress: '203.0.113.9'});
		shares.recordAccess({at: '2026-03-01T00:00:00.000Z', shareId: null, status: 404, action: 'not-found', path: '/s/../x'});
		assert.deepEqual(shares.access(share.id).map(row => [row.action, row.recipientName]), [['gallery', null], ['view', 'Anna']]);
		assert.equal(shares.access().length, 3, 'requests that matched no share are in the whole log');
		assert.equal(shares.list()[0]!.accesses, 2);
		assert.equal(shares.purgeAccessOlderThan('2026-02-01T00:00:00.000Z'), 1);
		assert.deepEqual(shares.access().map(row => row.at), ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
		shares.remove(share.id);
		assert.equal(shares.findByToken('a'), undefined, 'recipients go with their share');
		assert.equal(shares.access().length, 2, 'the log outlives the share until it ages out');
	} finally {
		catalog.close();
	}
});

test('a removed share\'s number is never given again, and a failed placing records nothing', () => {
	const {catalog, shares} = store();
	try {
		const first = shares.create({token: 'one', expiresAt: '2099-01-01T00:00:00.000Z', maxSize: 2048, items: [item('a.jpg')]});
		shares.recordAccess({shareId: first.id, status: 200});
		shares.remove(first.id);
		const second = shares.create({token: 'two', expiresAt: '2099-01-01T00:00:00.000Z', maxSize: 2048, items: []});
		assert.notEqual(second.id, first.id, 'the log of the removed share must not be read as the new one\'s');
		assert.deepEqual(shares.access(second.id), []);
		assert.throws(() => shares.create({token: 'three', expiresAt: '2099-01-01T00:00:00.000Z', maxSize: 2048, items: [item('b.jpg')]}, () => {
			throw new Error('disk full');
		}), /disk full/);
		assert.deepEqual(shares.list().map(row => row.token), ['two']);
		assert.equal(shares.findByToken('three'), undefined);
	} finally {
		catalog.close();
	}
});
