// The tag review screen driven by keys over the real actions (issue 7): a real catalog, the real journal and the
// real exiftool; only the pictures are fakes (the test files have no thumbnails).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {endExiftool, readKeywordLists} from '../../../source/adapters/exif.js';
import {tagRowsOf} from '../../../source/db/tag-review.js';
import {openJournal} from '../../../source/journal/journal.js';
import {createTagReviewActions} from '../../../source/tags/review-actions.js';
import {TagReviewScreen} from '../../../source/ui/tag-review/tag-review-screen.js';
import {journalLibrary} from '../../helpers/journal-library.js';
import {gridKeys, keys, settle, waitFor, until} from '../../helpers/keys.js';
import {fakePictures} from '../../helpers/review-fakes.js';

afterEach(() => {
	cleanup();
});

after(async () => {
	await endExiftool();
});

test('keys become journal batches: space + enter is one batch of sidecar writes and tag rows, 3 rates, u undoes', async () => {
	const {library, files} = journalLibrary(5);
	const {journal, catalog, close} = await openJournal(library);
	try {
		const store = tagRowsOf(catalog);
		for (const [index, file] of files.entries()) {
			store.setRows(file.sha256, [{tag: 'places/beach', source: 'clip', value: {state: 'suggested', confidence: 0.2 + index / 20}}]);
		}

		const services = {actions: createTagReviewActions(journal, {below: 0.6}), pictures: fakePictures()};
		const ink = render(<TagReviewScreen tags={['places/beach']} services={services} below={0.6} colour={false} size={{columns: 80, rows: 24}} />);
		const frame = () => ink.lastFrame() ?? '';
		await until(() => assert.match(frame(), /places\/beach · 1–5 of 5 below 0\.60/));
		ink.stdin.write(keys.right);
		await settle();
		ink.stdin.write(gridKeys.space);
		await settle();
		ink.stdin.write(keys.enter);
		// Real exiftool writes: on a loaded machine the batch can take many seconds.
		await waitFor(() => frame().includes('batch'), 60_000);
		assert.match(frame(), /places\/beach: 4 confirmed, 1 rejected · 4 sidecars written · batch 1/);
		const [batch] = journal.list();
		assert.equal(batch!.state, 'applied');
		assert.equal(batch!.command, 'tags review places/beach');
		assert.deepEqual(batch!.counts, {'write-sidecar': 4, 'set-tags': 5});
		const wrong = files[1]!;
		assert.ok(!fs.existsSync(path.join(library.root, `${wrong.path}.xmp`)));
		for (const file of files.filter(candidate => candidate !== wrong)) {
			assert.deepEqual(await readKeywordLists(path.join(library.root, `${file.path}.xmp`)), {subject: ['kept', 'beach'], hierarchicalSubject: ['places|beach']});
		}

		assert.match(frame(), /Reviewed: 4 confirmed, 1 rejected/);
		ink.stdin.write('u');
		await waitFor(() => frame().includes('undid batch 1'), 60_000);
		assert.equal(journal.list()[0]!.state, 'undone');
		assert.ok(files.every(file => !fs.existsSync(path.join(library.root, `${file.path}.xmp`))));
		assert.ok(files.every(file => store.rows(file.sha256, 'places/beach')[0]!.state === 'suggested'));

		ink.stdin.write('3');
		await waitFor(() => frame().includes('rated 3'), 60_000);
		const rated = journal.list()[0]!;
		assert.equal(rated.command, 'tags review: rate');
		assert.deepEqual(rated.counts, {'write-sidecar': 1});
		assert.match(frame(), />0\.20 ★3/, 'the grid shows the new rating');
	} finally {
		close();
	}
});
