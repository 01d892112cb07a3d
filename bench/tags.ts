// npm run bench:tags: the hot paths of tag review (issue 7) on a synthetic catalog of 100,000 photo contents with
// three CLIP tags each: loading a tag's review queue (the screen reloads it after every page), per-tag counts,
// CSV export and import parsing, learned thresholds; then real page decisions (24 photos: exiftool writes the XMP
// sidecars, the journal hashes them) on real JPEG files.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import {endExiftool} from '../source/adapters/exif.js';
import type {Taxonomy} from '../source/ai/taxonomy-file.js';
import {Catalog} from '../source/db/catalog.js';
import {tagRowsOf} from '../source/db/tag-review.js';
import {openJournal} from '../source/journal/journal.js';
import {libraryAt} from '../source/library.js';
import {exportTagsCsv, planTagsImport} from '../source/tags/exchange.js';
import {withLearnedThresholds} from '../source/tags/learning.js';
import {createTagReviewActions} from '../source/tags/review-actions.js';
import {recordFor} from '../test/helpers/journal-library.js';
import {tempDir} from '../test/helpers/temp.js';
import {connectionOf} from '../source/db/connection.js';

const contents = 100_000;
const tags = ['places/beach', 'colour/red', 'scenes/night'];
const time = <T>(label: string, work: () => T, unit?: (result: T, seconds: number) => string): T => {
	const started = performance.now();
	const result = work();
	const seconds = (performance.now() - started) / 1000;
	console.log(`${label.padEnd(44)} ${(seconds * 1000).toFixed(1).padStart(8)} ms${unit ? `  ${unit(result, seconds)}` : ''}`);
	return result;
};

// Deterministic pseudo-random confidences.
let seed = 42;
const random = () => {
	seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
	return seed / 2_147_483_648;
};

const big = libraryAt(path.join(tempDir('curate-bench-tags-'), 'library'));
fs.mkdirSync(big.root, {recursive: true});
const catalog = Catalog.open(big.catalogPath);
time(`setup: ${contents.toLocaleString('en')} files, ${(contents * tags.length).toLocaleString('en')} tag rows`, () => {
	const records = Array.from({length: contents}, (_, index) => recordFor(`${2000 + (index % 25)}/album ${index % 400}/IMG_${index}.jpg`, Buffer.from(`photo ${index}`)));
	for (let start = 0; start < contents; start += 5000) {
		catalog.commitBatch({records: records.slice(start, start + 5000), moves: [], present: []}, catalog.beginScan());
	}

	const store = tagRowsOf(catalog);
	connectionOf(catalog).transaction(() => {
		for (const record of records) {
			store.setRows(record.sha256!, tags.map(tag => ({tag, source: 'clip' as const, value: {state: 'suggested' as const, confidence: Math.round((0.2 + random() * 0.8) * 1000) / 1000}})));
		}
	})();
});

const store = tagRowsOf(catalog);
time('review queue: first 1,000 below 0.60', () => store.queue('places/beach', 0.6, 1000), rows => `${rows.length.toLocaleString('en')} photos (the screen reloads this after each page)`);
time('review queue: all below 0.60', () => store.queue('places/beach', 0.6, contents), (rows, seconds) => `${rows.length.toLocaleString('en')} photos, ${Math.round(rows.length / seconds).toLocaleString('en')} rows/s`);
time('counts per tag (tags list / stats)', () => store.counts());
let csv = '';
time('CSV export', () => exportTagsCsv(catalog, chunk => {
	csv += chunk;
}), (rows, seconds) => `${rows.toLocaleString('en')} rows, ${Math.round(rows / seconds).toLocaleString('en')} rows/s`);
time('CSV import: parse and match paths', () => planTagsImport(catalog, big.root, csv), (plan, seconds) => `${plan.decisions.length.toLocaleString('en')} rows, ${Math.round(plan.decisions.length / seconds).toLocaleString('en')} rows/s`);
const taxonomy: Taxonomy = {file: 'bench', tags: tags.map(name => ({name, aliases: [], prompt: name, threshold: 0.2})), digest: '', created: false};
time('learned thresholds (before curate tag)', () => withLearnedThresholds(catalog, taxonomy));
catalog.close();

// Real page decisions: 72 small JPEGs, three pages of 24.
const small = libraryAt(path.join(tempDir('curate-bench-tags-'), 'library'));
const files: Array<{path: string; sha256: string}> = [];
for (let index = 0; index < 72; index++) {
	const relative = `photos/IMG_${index}.jpg`;
	fs.mkdirSync(path.join(small.root, 'photos'), {recursive: true});
	const bytes = await sharp({create: {width: 64, height: 48, channels: 3, background: {r: index * 3, g: 100, b: 200}}}).jpeg().toBuffer();
	fs.writeFileSync(path.join(small.root, relative), bytes);
	files.push({path: relative, sha256: recordFor(relative, bytes).sha256!});
}

const smallCatalog = Catalog.open(small.catalogPath);
smallCatalog.commitBatch({records: files.map(file => recordFor(file.path, fs.readFileSync(path.join(small.root, file.path)))), moves: [], present: []}, smallCatalog.beginScan());
smallCatalog.close();
const {journal, close} = await openJournal(small);
for (const [index, file] of files.entries()) {
	tagRowsOf(journal.catalog).setRows(file.sha256, [{tag: 'places/beach', source: 'clip', value: {state: 'suggested', confidence: 0.2 + index / 200}}]);
}

const actions = createTagReviewActions(journal, {below: 0.6});
for (let page = 0; page < 3; page++) {
	const items = actions.queue('places/beach').slice(0, 24);
	const started = performance.now();
	// eslint-disable-next-line no-await-in-loop
	await actions.decidePage('places/beach', items.slice(1), items.slice(0, 1));
	const seconds = (performance.now() - started) / 1000;
	console.log(`${`page decision ${page + 1}: 23 sidecars + 24 tag rows`.padEnd(44)} ${(seconds * 1000).toFixed(1).padStart(8)} ms  ${(24 / seconds).toFixed(1)} photos/s`);
}

const started = performance.now();
await journal.undo();
console.log(`${'undo of one page'.padEnd(44)} ${(performance.now() - started).toFixed(1).padStart(8)} ms`);
close();
await endExiftool();
