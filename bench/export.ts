/**
 * npm run bench:export — photos per second of `curate export` on the sample library's camera photos.
 *
 * Builds the sample library once (bench/.data/export-library), scans it, then exports every readable JPEG twice:
 * at full size and with --max-size 1024, each with the default --strip gps (exiftool copy and read-back included).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {buildSampleLibrary} from '../media-fixtures/build.mjs';
import {endExiftool} from '../source/adapters/exif.js';
import {Catalog} from '../source/db/catalog.js';
import {exportFiles} from '../source/export/export.js';
import {libraryAt} from '../source/library.js';
import {closeDecoders} from '../source/media/decode.js';
import {scanLibrary} from '../source/scan/scan.js';

const root = path.resolve(import.meta.dirname, '.data', 'export-library');
const library = libraryAt(root);
if (!fs.existsSync(library.catalogPath)) {
	await buildSampleLibrary(root);
	const catalog = Catalog.open(library.catalogPath);
	await scanLibrary(library, catalog);
	catalog.close();
}

const catalog = Catalog.open(library.catalogPath);
const photos = catalog.allPresent().filter(file => file.format === 'jpeg' && !file.error);
for (const [label, maxSize] of [['full size', undefined], ['--max-size 1024', 1024]] as const) {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-bench-export-'));
	// eslint-disable-next-line no-await-in-loop
	const report = await exportFiles(library, catalog, photos, out, {format: 'jpeg', quality: 85, strip: 'gps', ...(maxSize ? {maxSize} : {})});
	console.log(`export ${label}: ${report.written} photos (${photos[0]!.width}x${photos[0]!.height} and similar) in ${report.seconds}s: ${(report.written / report.seconds).toFixed(1)} photos/s, ${report.failed} failed`);
	fs.rmSync(out, {recursive: true, force: true});
}

catalog.close();
await endExiftool();
await closeDecoders();
