/**
 * npm run bench:verify — how fast `curate verify` re-reads a library, and whether --rate holds.
 *
 *   npm run bench:verify [-- --count 200] [--size-mb 3]
 *
 * Generates (once, cached in bench/.data/verify) COUNT files of SIZE MB of random bytes and a catalog that lists
 * them with their SHA-256, then prints MB/s and files/s of a full verify, the single-core SHA-256 ceiling on the same
 * bytes, and the throughput of a run throttled to 40 MB/s. Freshly written files sit in the page cache, so this
 * measures Curate's own cost (reading and hashing), not the disk's; on a NAS the disk is the limit.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {Catalog} from '../source/db/catalog.js';
import {verifyLibrary} from '../source/health/verify.js';
import {randomLibrary} from './random-library.js';

const {values} = parseArgs({options: {count: {type: 'string', default: '200'}, 'size-mb': {type: 'string', default: '3'}}});
const count = Number(values.count);
const size = Math.round(Number(values['size-mb']) * 1_000_000);
const library = randomLibrary('verify', count, size);
const {root} = library;


const catalog = Catalog.open(library.catalogPath);
const megabytes = (bytes: number, seconds: number) => (bytes / 1_000_000 / seconds).toFixed(0);

// Warm the page cache so every run reads the same way.
await verifyLibrary(library, catalog);
const full = await verifyLibrary(library, catalog);
const fullSeconds = Math.max(full.seconds, 0.001);
console.log(`verify, ${full.checked} files of ${(size / 1e6).toFixed(1)} MB: ${megabytes(full.bytes, fullSeconds)} MB/s, ${(full.checked / fullSeconds).toFixed(0)} files/s (${full.damaged.length + full.missing.length} problems)`);

const started = performance.now();
let hashed = 0;
for (const file of fs.readdirSync(root, {recursive: true}) as string[]) {
	if (file.endsWith('.jpg')) {
		const bytes = fs.readFileSync(path.join(root, file));
		createHash('sha256').update(bytes).digest();
		hashed += bytes.length;
	}
}

const ceiling = (performance.now() - started) / 1000;
console.log(`ceiling (readFileSync + SHA-256, one core): ${megabytes(hashed, ceiling)} MB/s`);

const sampled = await verifyLibrary(library, catalog, {sample: 0.25, rateMBps: 40});
console.log(`--sample 25% --rate 40: ${sampled.checked} files, ${megabytes(sampled.bytes, sampled.seconds)} MB/s (budget 40 MB/s)`);
catalog.close();
