/**
 * The one opener of shared copies (source/serve/files.ts): whatever name or folder reaches it, it opens a copy inside
 * that share's folder or nothing. The HTTP tests (server.test.ts) show the same through real requests.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {openCopy, shareFolder} from '../../source/serve/files.js';
import {tempDir} from '../helpers/temp.js';

test('a shared copy opens only from inside its own share folder, never through a link, a foreign name or a swapped folder', async () => {
	const root = tempDir();
	const one = '.curate/shares/1';
	const two = '.curate/shares/2';
	for (const dir of [one, two]) {
		fs.mkdirSync(path.join(root, dir, 'large'), {recursive: true});
		fs.mkdirSync(path.join(root, dir, 'thumbs'), {recursive: true});
	}

	fs.writeFileSync(path.join(root, one, 'large', '001-a.jpg'), 'AAAA');
	fs.writeFileSync(path.join(root, two, 'large', '001-b.jpg'), 'BBBB');
	fs.writeFileSync(path.join(root, 'master.jpg'), 'MASTER');
	fs.symlinkSync(path.join(root, 'master.jpg'), path.join(root, one, 'large', '002-link.jpg'));

	const opened = await openCopy(root, one, 'large', '001-a.jpg');
	assert.ok(typeof opened === 'object', String(opened));
	assert.equal((await opened.handle.readFile('utf8')), 'AAAA');
	await opened.handle.close();
	assert.equal(await openCopy(root, one, 'thumbs', '001-a.jpg'), 'missing', 'a missing thumbnail is not found');
	assert.equal(await openCopy(root, one, 'large', '001-b.jpg'), 'missing', "another share's copy is not in this folder");
	for (const name of ['../2/large/001-b.jpg', '..%2f..%2fcatalog.db', '../../catalog.db', '/etc/passwd', '', '.', '001-a.jpg/', 'master.jpg\u0000.jpg']) {
		assert.equal(await openCopy(root, one, 'large', name), 'unsafe', JSON.stringify(name));
	}

	assert.equal(await openCopy(root, one, 'large', '002-link.jpg'), 'unsafe', 'a link in the share folder is not followed');
	for (const dir of ['/etc', '../outside', '.', '']) {
		assert.equal(shareFolder(root, dir), undefined, JSON.stringify(dir));
	}

	// The share's own folder swapped for a link to elsewhere: refused, not followed.
	const elsewhere = tempDir();
	fs.mkdirSync(path.join(elsewhere, 'large'));
	fs.writeFileSync(path.join(elsewhere, 'large', '001-b.jpg'), 'ELSEWHERE');
	fs.rmSync(path.join(root, two), {recursive: true});
	fs.symlinkSync(elsewhere, path.join(root, two));
	assert.equal(await openCopy(root, two, 'large', '001-b.jpg'), 'unsafe');
});
