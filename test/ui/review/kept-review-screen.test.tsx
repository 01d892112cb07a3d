import assert from 'node:assert/strict';
import fs from 'node:fs';
import {after, afterEach, before, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {Catalog} from '../../../source/db/catalog.js';
import {searchAndKeep} from '../../../source/dupes/in-catalog.js';
import {type Library, libraryAt} from '../../../source/library.js';
import {loadReviewClusters, loadReviewList} from '../../../source/review/session.js';
import {ReviewScreen} from '../../../source/ui/review/review-screen.js';
import {until} from '../../helpers/keys.js';
import {fakeServices} from '../../helpers/review-fakes.js';
import {buildSyntheticCatalog} from '../../helpers/synthetic-catalog.js';
import {tempDir} from '../../helpers/temp.js';

// Kept clusters reach the screen a page at a time (issue 15): the screen must count, resume, skip and go back over
// all of them as it did over an array, including across pages and to the skipped ones at the end.
let library: Library;
let catalog: Catalog;
before(() => {
	library = libraryAt(tempDir('curate-review-kept-screen-'));
	fs.mkdirSync(library.dir, {recursive: true});
	buildSyntheticCatalog(library.catalogPath, 1500, {seed: 7});
	catalog = Catalog.open(library.catalogPath);
	searchAndKeep(catalog, {kind: 'all'});
});
after(() => {
	catalog.close();
});
afterEach(() => {
	cleanup();
});

test('on kept clusters the screen resumes at the saved cluster, counts them all, and b from the first reaches the skipped one at the end', async () => {
	const all = loadReviewClusters(catalog, library, {sort: 'date'});
	assert.ok(all.length > 64, `${all.length} clusters: more than one page`);
	const skipped = all[3]!.id;
	const inOrder = loadReviewClusters(catalog, library, {sort: 'date'}, new Set([skipped]));
	const list = loadReviewList(catalog, library, {sort: 'date'}, new Set([skipped]));
	assert.ok(!Array.isArray(list), 'kept clusters are read a page at a time');
	const fakes = fakeServices();
	const resumed = inOrder[70]!;
	const ink = render(<ReviewScreen clusters={list} progress={{current: resumed.id, skipped: [skipped], freed: 0}} services={fakes.services} colour={false} size={{columns: 80, rows: 24}} />);
	const frame = () => ink.lastFrame() ?? '';
	await until(() => {
		assert.match(frame(), new RegExp(`${resumed.id} · ${resumed.members.length} photos`));
		assert.match(frame(), new RegExp(`cluster 71 of ${all.length} · `));
	});
	for (let step = 0; step < 71; step++) {
		ink.stdin.write('b');
		// eslint-disable-next-line no-await-in-loop
		await until(() => {
			assert.match(frame(), new RegExp(`cluster ${70 - step === 0 ? all.length : 70 - step} of `));
		});
	}

	assert.match(frame(), new RegExp(`${skipped} · ${all[3]!.members.length} photos`));
	assert.match(frame(), new RegExp(`cluster ${all.length} of ${all.length} · freed 0 B · skipped`));
	assert.deepEqual(fakes.saved.at(-1), {current: skipped, skipped: [skipped], freed: 0});
});
