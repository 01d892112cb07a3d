/**
 * npm run bench:tag — `curate tag` throughput in images/s.
 *
 * Generates (once, cached in bench/.data) 200 photo-like 1600x1200 JPEGs, scans them (which writes the 320 px
 * thumbnails tagging reads), then times embedding + storing + zero-shot tagging of all of them with the tiny model,
 * and with the model in CURATE_MODEL_DIR when set. Each run starts from a catalog without embeddings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import {loadEmbedder} from '../source/adapters/embedder.js';
import {endExiftool} from '../source/adapters/exif.js';
import {tagLibrary} from '../source/ai/tag.js';
import {loadTaxonomy} from '../source/ai/taxonomy-file.js';
import {Catalog} from '../source/db/catalog.js';
import {EmbeddingStore} from '../source/db/embeddings.js';
import {libraryAt} from '../source/library.js';
import {closeDecoders} from '../source/media/decode.js';
import {scanLibrary} from '../source/scan/scan.js';
import {connectionOf} from '../source/db/connection.js';

const count = 200;
const root = path.resolve(import.meta.dirname, '.data', 'tag-library');
const library = libraryAt(root);
if (!fs.existsSync(library.catalogPath)) {
	console.log(`generating ${count} photos in ${root} and scanning them (once)…`);
	fs.mkdirSync(root, {recursive: true});
	for (let i = 0; i < count; i++) {
		const hue = (i * 37) % 360;
		const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,60%)"/><stop offset="1" stop-color="hsl(${(hue + 120) % 360},50%,25%)"/></linearGradient></defs><rect width="1600" height="1200" fill="url(#g)"/><circle cx="${400 + (i % 9) * 90}" cy="${300 + (i % 7) * 80}" r="${120 + (i % 5) * 30}" fill="hsl(${(hue + 200) % 360},70%,50%)"/></svg>`;
		await sharp(Buffer.from(svg)).jpeg({quality: 88}).toFile(path.join(root, `IMG_${String(i).padStart(4, '0')}.jpg`));
	}

	const catalog = Catalog.open(library.catalogPath);
	await scanLibrary(library, catalog, {ignore: ['.curate']});
	catalog.close();
	await endExiftool();
	await closeDecoders();
}

async function bench(name: string, spec: string, threads?: number): Promise<void> {
	const catalog = Catalog.open(library.catalogPath);
	connectionOf(catalog).exec('DELETE FROM embeddings; DELETE FROM tags;');
	const embedder = await loadEmbedder(spec, {cwd: process.cwd(), offline: true, threads});
	const taxonomy = loadTaxonomy(library, {cwd: process.cwd(), create: true});
	const started = performance.now();
	// CPU time of the whole process (JavaScript, libuv's sharp threads, onnxruntime's threads) over wall time: how
	// many of the cores the run kept busy.
	const cpu = process.cpuUsage();
	const summary = await tagLibrary(library, new EmbeddingStore(catalog), embedder, taxonomy, {batch: 32});
	const seconds = (performance.now() - started) / 1000;
	const used = process.cpuUsage(cpu);
	const cores = (used.user + used.system) / 1e6 / seconds;
	console.log(`${name} (${embedder.key}, ${threads ?? os.availableParallelism()} onnxruntime threads): ${summary.embedded} photos in ${seconds.toFixed(2)} s = ${(summary.embedded / seconds).toFixed(1)} images/s, ${summary.errors.length} errors; ${cores.toFixed(2)} cores busy on average`);
	await embedder.dispose();
	catalog.close();
}

await bench('tiny model', path.resolve(import.meta.dirname, '../media-fixtures/models/tiny-clip'));
const real = process.env.CURATE_MODEL_DIR;
if (real) {
	await bench('CURATE_MODEL_DIR', path.resolve(real));
	await bench('CURATE_MODEL_DIR', path.resolve(real), 1);
} else {
	console.log('set CURATE_MODEL_DIR to a CLIP model folder (e.g. Xenova/clip-vit-base-patch32) to measure a real model');
}
