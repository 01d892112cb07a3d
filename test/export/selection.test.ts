import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type {StoredFile} from '../../source/db/catalog.js';
import {selectFiles} from '../../source/export/selection.js';
import {UserError} from '../../source/library.js';
import {tempDir} from '../helpers/temp.js';

const file = (relative: string, takenAt: string | null, make: string | null, model: string | null, format = 'jpeg') =>
	({path: relative, takenAt, make, model, format}) as unknown as StoredFile;

const root = tempDir();
const files = [
	file('2019/Paris/DSC_0412.jpg', '2019-05-03T10:41:17+02:00', 'NIKON CORPORATION', 'NIKON D750'),
	file('2021/Nice/IMG_0003.jpg', '2021-07-14T09:12:03+02:00', 'Apple', 'iPhone 12'),
	file('2021/Canon/IMG_7781.JPG', '2021-07-14T17:38:21+02:00', 'Canon', 'Canon EOS 80D'),
	file('2023/Buenos Aires/DSC_1877.jpg', '2023-10-08T16:03:44-03:00', 'NIKON CORPORATION', 'NIKON D750'),
	file('scans/old.png', null, null, null, 'png'),
];
for (const entry of files) {
	fs.mkdirSync(path.join(root, path.dirname(entry.path)), {recursive: true});
	fs.writeFileSync(path.join(root, entry.path), '');
}

const select = (terms: string[], cwd = root, queries = {}) => selectFiles(terms, {root, cwd, files, queries}).map(entry => entry.path);

test('key:value filters: same key is any-of, different keys are all-of', () => {
	assert.deepEqual(select(['year:2021']), ['2021/Nice/IMG_0003.jpg', '2021/Canon/IMG_7781.JPG']);
	assert.deepEqual(select(['year:2019-2021', 'camera:nikon']), ['2019/Paris/DSC_0412.jpg']);
	assert.deepEqual(select(['camera:canon', 'camera:apple']), ['2021/Nice/IMG_0003.jpg', '2021/Canon/IMG_7781.JPG']);
	assert.deepEqual(select(['path:buenos']), ['2023/Buenos Aires/DSC_1877.jpg']);
	assert.deepEqual(select(['path:2021/*/*.JPG']), ['2021/Nice/IMG_0003.jpg', '2021/Canon/IMG_7781.JPG']);
	assert.deepEqual(select(['path:**.png']), ['scans/old.png']);
	assert.deepEqual(select(['format:png']), ['scans/old.png']);
	assert.deepEqual(select(['year:1999']), []);
	assert.throws(() => select(['year:19']), /year: takes a year or a range/);
});

test('paths: files and folders, relative to the current folder or the library, absolute, narrowed by filters', () => {
	assert.deepEqual(select(['2021']), ['2021/Nice/IMG_0003.jpg', '2021/Canon/IMG_7781.JPG']);
	assert.deepEqual(select(['Nice'], path.join(root, '2021')), ['2021/Nice/IMG_0003.jpg']);
	assert.deepEqual(select([path.join(root, 'scans/old.png'), '2019/Paris/DSC_0412.jpg']), ['2019/Paris/DSC_0412.jpg', 'scans/old.png']);
	assert.deepEqual(select(['2021', 'camera:canon']), ['2021/Canon/IMG_7781.JPG']);
	assert.deepEqual(select(['.']).length, files.length);
	const outside = tempDir();
	assert.throws(() => select([outside]), /outside the library/);
	fs.writeFileSync(path.join(root, 'new.jpg'), '');
	assert.throws(() => select(['new.jpg']), /not in the catalog: new.jpg/);
});

test('tag: and free text are clear errors until the AI tags exist, and plug in through queries', () => {
	assert.throws(() => select(['tag:beach']), (error: unknown) => error instanceof UserError && /curate tag/.test(error.message));
	assert.throws(() => select(['sunset at the beach']), (error: unknown) => error instanceof UserError && /free-text search/.test(error.message));
	assert.throws(() => select([]), /nothing selected/);
	const queries = {tag: (value: string) => new Set(value === 'beach' ? ['2021/Nice/IMG_0003.jpg'] : []), search: () => new Set(['2023/Buenos Aires/DSC_1877.jpg'])};
	assert.deepEqual(select(['tag:beach'], root, queries), ['2021/Nice/IMG_0003.jpg']);
	assert.deepEqual(select(['tango'], root, queries), ['2023/Buenos Aires/DSC_1877.jpg']);
});
