// npm run bench:import: the planner on 100,000 synthetic files (pure), then a real import of generated JPEGs into an
// empty library (read + hash + analyse, verified journal copies, catalogue) in files/s and MB/s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import {endExiftool} from '../source/adapters/exif.js';
import {type LayoutFile, planLayout} from '../source/core/layout-plan.js';
import {parsePattern} from '../source/core/pattern.js';
import {importFiles} from '../source/import/run-import.js';
import {listSources} from '../source/import/sources.js';
import {openJournal} from '../source/journal/journal.js';
import {libraryAt} from '../source/library.js';
import {closeDecoders} from '../source/media/decode.js';
import {scanLibrary} from '../source/scan/scan.js';

const count = 100_000;
const files: LayoutFile[] = Array.from({length: count}, (_, i) => ({
	key: `card/DCIM/${100 + Math.floor(i / 999)}CANON/IMG_${String(i % 10_000).padStart(4, '0')}.${i % 7 === 0 ? 'CR2' : 'JPG'}`,
	dir: `card/DCIM/${100 + Math.floor(i / 999)}CANON`,
	name: `IMG_${String(i % 10_000).padStart(4, '0')}.${i % 7 === 0 ? 'CR2' : 'JPG'}`,
	kind: i % 7 === 0 ? 'raw' : 'image',
	takenAt: new Date(Date.UTC(2015, 0, 1) + i * 600_000).toISOString().slice(0, 19),
	takenAtSource: 'original',
	mtimeMs: 0,
	make: 'Canon',
	model: 'Canon EOS 7D',
	labels: i % 3 === 0 ? ['beach'] : [],
}));
let started = performance.now();
const plan = planLayout(files, {pattern: parsePattern('{year}/{event}'), isTaken: () => false});
const planSeconds = (performance.now() - started) / 1000;
console.log(`plan: ${count} files, ${plan.events.length} events in ${planSeconds.toFixed(2)} s (${Math.round(count / planSeconds)} files/s)`);

const photos = Number(process.env.BENCH_IMPORT_PHOTOS ?? 60);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-bench-import-'));
const card = path.join(dir, 'card');
const root = path.join(dir, 'library');
fs.mkdirSync(card);
fs.mkdirSync(root);
for (let i = 0; i < photos; i++) {
	const pixels = Buffer.alloc(4000 * 3000 * 3 / 16);
	for (let j = 0; j < pixels.length; j += 97) {
		pixels[j] = (i * 31 + j) % 256;
	}

	// eslint-disable-next-line no-await-in-loop
	await sharp(pixels, {raw: {width: 1000, height: 750, channels: 3}}).resize(4000, 3000).jpeg({quality: 90}).toFile(path.join(card, `IMG_${i}.JPG`));
}

const library = libraryAt(root);
const {journal, catalog, close} = await openJournal(library);
await scanLibrary(library, catalog);
const {entries} = await listSources(library, [card]);
const bytes = entries.reduce((sum, entry) => sum + entry.size, 0);
started = performance.now();
const result = await importFiles(library, catalog, journal, entries, {pattern: parsePattern('{year}/{year}-{month}-{day}'), command: 'bench'});
const seconds = (performance.now() - started) / 1000;
console.log(`import: ${result.imported.length} 12 MP JPEGs (${(bytes / 1e6).toFixed(0)} MB) in ${seconds.toFixed(1)} s: ${(result.imported.length / seconds).toFixed(1)} files/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s`);
started = performance.now();
const again = await importFiles(library, catalog, journal, entries, {pattern: parsePattern('{year}/{year}-{month}-{day}'), command: 'bench'});
const againSeconds = (performance.now() - started) / 1000;
console.log(`re-import of the same card: ${again.skipped.length} skipped in ${againSeconds.toFixed(1)} s (${(again.skipped.length / againSeconds).toFixed(1)} files/s, hashing only)`);
close();
await endExiftool();
await closeDecoders();
fs.rmSync(dir, {recursive: true, force: true});
