import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {ShareStore} from '../../source/db/shares.js';
import {libraryAt} from '../../source/library.js';
import {openSharedFile} from '../../source/share/files.js';
import {tempDir} from '../helpers/temp.js';

test('only a catalogued item of the share opens; traversal, other shares, the catalog and symbolic links do not', () => {
	const library = libraryAt(path.join(tempDir(), 'library'));
	const catalog = Catalog.open(library.catalogPath);
	try {
		const store = new ShareStore(catalog);
		const item = {fileId: null, width: 1, height: 1, bytes: 4, sha256: null};
		const one = store.create({token: 'a'.repeat(32), expiresAt: '2099-01-01T00:00:00Z', maxSize: 2048, items: [{...item, name: '001-a.jpg'}, {...item, name: '002-link.jpg'}]});
		const two = store.create({token: 'b'.repeat(32), expiresAt: '2099-01-01T00:00:00Z', maxSize: 2048, items: [{...item, name: '001-b.jpg'}]});
		for (const share of [one, two]) {
			for (const kind of ['large', 'thumbs']) {
				fs.mkdirSync(path.join(library.root, share.dir, kind), {recursive: true});
			}
		}

		fs.writeFileSync(path.join(library.root, one.dir, 'large', '001-a.jpg'), 'AAAA');
		fs.writeFileSync(path.join(library.root, two.dir, 'large', '001-b.jpg'), 'BBBB');
		fs.writeFileSync(path.join(library.root, 'master.jpg'), 'MASTER');
		fs.symlinkSync(path.join(library.root, 'master.jpg'), path.join(library.root, one.dir, 'large', '002-link.jpg'));

		const opened = openSharedFile(library, store, one, 'large', '001-a.jpg');
		assert.ok(opened);
		assert.equal(fs.readFileSync(opened.fd, 'utf8'), 'AAAA');
		fs.closeSync(opened.fd);
		assert.equal(openSharedFile(library, store, one, 'thumbs', '001-a.jpg'), undefined, 'a missing thumbnail is not found');
		for (const name of ['001-b.jpg', '../2/large/001-b.jpg', '..%2f..%2fcatalog.db', '../../catalog.db', '002-link.jpg', '/etc/passwd', '', '.', '001-a.jpg/']) {
			assert.equal(openSharedFile(library, store, one, 'large', name), undefined, name);
		}

		// The share's own folder swapped for a link to elsewhere: refused, not followed.
		const elsewhere = tempDir();
		fs.mkdirSync(path.join(elsewhere, 'large'));
		fs.writeFileSync(path.join(elsewhere, 'large', '001-b.jpg'), 'ELSEWHERE');
		fs.rmSync(path.join(library.root, two.dir), {recursive: true});
		fs.symlinkSync(elsewhere, path.join(library.root, two.dir));
		assert.equal(openSharedFile(library, store, two, 'large', '001-b.jpg'), undefined);
	} finally {
		catalog.close();
	}
});
