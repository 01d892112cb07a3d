import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {Catalog} from '../../source/db/catalog.js';
import {ShareStore} from '../../source/db/shares.js';
import {UserError} from '../../source/errors.js';
import {libraryAt} from '../../source/library.js';
import {createShare} from '../../source/share/create.js';
import {makeGeoPhotos} from '../helpers/geo-photos.js';
import {recordFor} from '../helpers/journal-library.js';
import {needsSmallFs} from '../helpers/small-fs.js';
import {tempDir} from '../helpers/temp.js';

after(async () => endExiftool());

const photos = [
	{path: 'a/one.jpg', taken: '2019:05:03 10:00:00', lat: 48.85, lon: 2.29},
	{path: 'a/two.jpg', taken: '2019:05:03 11:00:00', lat: 48.86, lon: 2.33},
	{path: 'b/three.jpg', taken: '2019:05:04 11:00:00', lat: 45.76, lon: 4.83},
];

/** A library of three real JPEGs with GPS, catalogued as a scan would (without running one). */
async function makeLibrary() {
	const lib = libraryAt(path.join(tempDir(), 'library'));
	await makeGeoPhotos(lib.root, photos);
	const catalog = Catalog.open(lib.catalogPath);
	catalog.commitBatch({records: photos.map(photo => recordFor(photo.path, fs.readFileSync(path.join(lib.root, photo.path)))), moves: [], present: []}, catalog.beginScan());
	return {library: lib, catalog, files: catalog.allPresent()};
}

const request = {expiresInMs: 3_600_000, maxSize: 2048};

/** Everything under a folder, relative. */
const contents = (dir: string) => (fs.readdirSync(dir, {recursive: true}) as string[]).sort();

test('a share whose .curate/shares is a symbolic link to another disk is refused, and nothing is written there', async () => {
	const {library, catalog, files} = await makeLibrary();
	try {
		const elsewhere = tempDir();
		fs.symlinkSync(elsewhere, path.join(library.dir, 'shares'));
		await assert.rejects(createShare(library, catalog, files, request), /^UnsafePathError: \.curate\/shares is a symbolic link; Curate never writes through one$/);
		assert.deepEqual(contents(elsewhere), []);
		assert.deepEqual(new ShareStore(catalog).list(), []);
	} finally {
		catalog.close();
	}
});

test('a symbolic link where the new share\'s folder goes is refused: nothing recorded, nothing removed through it', async () => {
	const {library, catalog, files} = await makeLibrary();
	try {
		const elsewhere = tempDir();
		fs.writeFileSync(path.join(elsewhere, 'precious.txt'), 'keep me');
		fs.mkdirSync(path.join(library.dir, 'shares'));
		// Share numbers start at 1 in a new catalog: the link sits where share 1's folder would go.
		fs.symlinkSync(elsewhere, path.join(library.dir, 'shares', '1'));
		await assert.rejects(createShare(library, catalog, files, request), /shares\/1 is a symbolic link/);
		assert.deepEqual(contents(elsewhere), ['precious.txt']);
		assert.deepEqual(new ShareStore(catalog).list(), [], 'the share was not recorded');
		assert.deepEqual(fs.readdirSync(path.join(library.dir, 'shares')), ['1'], 'no staging folder left');
	} finally {
		catalog.close();
	}
});

/** Mounts a tmpfs over the library's share area; unmounted at the end of the test. */
function mountShares(library: ReturnType<typeof libraryAt>, options: string): () => void {
	const dir = path.join(library.dir, 'shares');
	fs.mkdirSync(dir, {recursive: true});
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], {encoding: 'utf8'});
	assert.equal(mounted.status, 0, mounted.stderr);
	return () => {
		spawnSync('umount', ['-l', dir]);
	};
}

test('a share on a full disk says so in one line and leaves no half share (checked before writing)', {skip: needsSmallFs}, async () => {
	const {library, catalog, files} = await makeLibrary();
	const release = mountShares(library, 'size=256k');
	try {
		await assert.rejects(
			createShare(library, catalog, files, request),
			(error: unknown) => error instanceof UserError && /^the disk holding .*\.curate\/shares is full \([\d.]+ MB free, about [\d.]+ MB needed\)$/.test(error.message),
		);
		assert.deepEqual(contents(path.join(library.dir, 'shares')), []);
		assert.deepEqual(new ShareStore(catalog).list(), []);
	} finally {
		release();
		catalog.close();
	}
});

test('a disk that fills while the copies are made (out of inodes) leaves no half share, and says the disk is full', {skip: needsSmallFs}, async () => {
	const {library, catalog, files} = await makeLibrary();
	// Plenty of bytes, so the check before writing passes; too few inodes for every copy, so a write fails part-way.
	const release = mountShares(library, 'size=64m,nr_inodes=9');
	try {
		await assert.rejects(createShare(library, catalog, files, request), (error: unknown) => error instanceof UserError && /^the disk holding .* is full/.test(error.message));
		assert.deepEqual(contents(path.join(library.dir, 'shares')), []);
		assert.deepEqual(new ShareStore(catalog).list(), []);
	} finally {
		release();
	}

	try {
		// With room, the same share is made whole.
		const made = await createShare(library, catalog, files, request);
		assert.equal(made.items.length, 3);
		assert.deepEqual(contents(path.join(library.root, made.share.dir, 'large')), made.items.map(item => item.name));
	} finally {
		catalog.close();
	}
});
