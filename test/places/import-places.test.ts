import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {runJson} from '../helpers/cli.js';
import {makeGeoPhotos, tripPhotos} from '../helpers/geo-photos.js';
import {tempDir} from '../helpers/temp.js';

after(async () => endExiftool());

test('import names a trip\'s event after its place, files by the rules, and catalogs the places of what it copied', async () => {
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(root, {recursive: true});
	assert.equal((await runJson(['scan', root, '--json'])).result.code, 0);
	fs.writeFileSync(path.join(root, '.curate/rules.txt'), 'tag:birthday -> {year}/Birthday\nplace:DE -> {year}/{country}/{city}\n');
	const card = path.join(tempDir(), 'card');
	await makeGeoPhotos(card, tripPhotos);
	await endExiftool();

	const {result, json} = await runJson(['import', card, '--library', root, '--pattern', '{year}/{event}', '--json']);
	assert.equal(result.code, 0, result.stderr);
	const target = (photo: string) => json.files.find((file: {source: string}) => file.source.endsWith(photo))?.path;
	assert.equal(target('IMG_0001.JPG'), '2019/2019-05-03 Paris/IMG_0001.JPG');
	assert.equal(target('IMG_0003.JPG'), '2019/2019-05-03 Paris/IMG_0003.JPG');
	assert.equal(target('IMG_0009.JPG'), '2019/Birthday/IMG_0009.JPG');
	assert.equal(target('IMG_0010.JPG'), '2019/Birthday/IMG_0010.JPG');
	assert.equal(target('IMG_0008.JPG'), '2019/Germany/Berlin/IMG_0008.JPG');

	const shown = await runJson(['show', path.join(root, '2019/2019-05-03 Paris/IMG_0001.JPG'), '--json']);
	assert.deepEqual([shown.json.place?.city, shown.json.place?.utcOffset], ['Paris', '+02:00'], 'the catalog has the place without a scan');
});
