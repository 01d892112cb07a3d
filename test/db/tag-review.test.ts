import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {EmbeddingStore} from '../../source/db/embeddings.js';
import {tagRowsOf} from '../../source/db/tag-review.js';
import {journalLibrary} from '../helpers/journal-library.js';
import {connectionOf} from '../../source/db/connection.js';

function library() {
	const {library, files} = journalLibrary(3);
	const catalog = Catalog.open(library.catalogPath);
	return {catalog, files, store: tagRowsOf(catalog)};
}

test('the queue shows a content once, at its best confidence, and leaves out decided contents and gone files', () => {
	const {catalog, files, store} = library();
	try {
		const [a, b, c] = files;
		store.setRows(a!.sha256, [
			{tag: 'places/beach', source: 'clip', value: {state: 'suggested', confidence: 0.3}},
			{tag: 'places/beach', source: 'rule', value: {state: 'suggested', confidence: 0.5}},
		]);
		store.setRows(b!.sha256, [{tag: 'places/beach', source: 'clip', value: {state: 'suggested', confidence: 0.2}}]);
		store.setRows(c!.sha256, [
			{tag: 'places/beach', source: 'clip', value: {state: 'suggested', confidence: 0.1}},
			{tag: 'places/beach', source: 'rule', value: {state: 'rejected', confidence: 0.9}},
		]);
		assert.deepEqual(
			store.queue('places/beach', 0.6, 10).map(row => [row.path, row.confidence]),
			[
				[b!.path, 0.2],
				[a!.path, 0.5],
			],
		);
		assert.deepEqual(store.queue('places/beach', 0.4, 10).map(row => row.path), [b!.path], 'a content is in the band by its best confidence');
		assert.deepEqual(store.queue('places/beach', 0.6, 1).map(row => row.path), [b!.path]);
		connectionOf(catalog).prepare("UPDATE files SET status = 'missing' WHERE path = ?").run(b!.path);
		assert.deepEqual(store.queue('places/beach', 0.6, 10).map(row => row.path), [a!.path]);
		assert.deepEqual(store.counts(), [{tag: 'places/beach', everSuggested: 2, pending: 1, confirmed: 0, rejected: 1, added: 0}], 'counts cover present contents only');
		store.setRows(a!.sha256, [{tag: 'places/beach', source: 'rule', value: null}]);
		assert.deepEqual(store.rows(a!.sha256, 'places/beach').map(row => row.source), ['clip'], 'null removes a row');
	} finally {
		catalog.close();
	}
});

test('a rejection is never suggested again: re-tagging keeps it, and a new source of the same tag inherits it', () => {
	const {catalog, files, store} = library();
	try {
		const sha256 = files[0]!.sha256;
		store.setRows(sha256, [{tag: 'objects/screenshot', source: 'clip', value: {state: 'rejected', confidence: 0.4}}]);
		const embeddings = new EmbeddingStore(catalog);
		embeddings.replaceRuleTags([{sha256, tag: 'objects/screenshot', confidence: 1}]);
		embeddings.replaceClipTags('m', [sha256], [{sha256, tag: 'objects/screenshot', confidence: 0.7}]);
		assert.deepEqual(store.rows(sha256, 'objects/screenshot').map(row => [row.source, row.state, row.confidence]), [
			['clip', 'rejected', 0.7],
			['rule', 'rejected', 1],
		]);
		assert.deepEqual(embeddings.tagsOf(sha256), [], 'not offered to search or listings');
		assert.deepEqual(store.queue('objects/screenshot', 1.1, 10), []);
	} finally {
		catalog.close();
	}
});

test('migration 8 keeps the tags of an existing catalog and lets people add tags', async () => {
	const path = await import('node:path');
	const {catalogBefore} = await import('../helpers/sql.js');
	const {tempDir} = await import('../helpers/temp.js');
	const file = path.join(tempDir(), 'catalog.db');
	const old = catalogBefore(file, 8);
	old.prepare("INSERT INTO tags (sha256, tag, source, state, confidence, model, updated_at) VALUES ('s', 'places/beach', 'clip', 'confirmed', 0.4, 'm', 'now')").run();
	assert.throws(() => old.prepare("INSERT INTO tags (sha256, tag, source, state, confidence, updated_at) VALUES ('s', 'x', 'user', 'confirmed', 1, 'now')").run(), /CHECK constraint/);
	old.close();

	const catalog = Catalog.open(file);
	try {
		const store = tagRowsOf(catalog);
		assert.deepEqual(store.rows('s', 'places/beach'), [{tag: 'places/beach', source: 'clip', state: 'confirmed', confidence: 0.4}]);
		store.setRows('s', [{tag: 'x', source: 'user', value: {state: 'confirmed', confidence: 1}}]);
		assert.equal(store.rows('s', 'x')[0]!.source, 'user');
		assert.ok(connectionOf(catalog).prepare("SELECT 1 FROM sqlite_schema WHERE name = 'tags_review'").get());
	} finally {
		catalog.close();
	}
});

test('tags review --below 1 reviews rule tags suggested at confidence 1.00 (it said "Nothing to review")', () => {
	const {catalog, files, store} = library();
	try {
		const [a, b] = files;
		store.setRows(a!.sha256, [{tag: 'events/2019-05-03', source: 'rule', value: {state: 'suggested', confidence: 1}}]);
		store.setRows(b!.sha256, [{tag: 'events/2019-05-03', source: 'clip', value: {state: 'suggested', confidence: 0.99}}]);
		assert.deepEqual(store.queue('events/2019-05-03', 1, 10).map(row => [row.path, row.confidence]), [
			[b!.path, 0.99],
			[a!.path, 1],
		]);
		assert.deepEqual(store.queue('events/2019-05-03', 0.995, 10).map(row => row.path), [b!.path], 'below any other ceiling stays strict');
	} finally {
		catalog.close();
	}
});
