/**
 * npm run bench:serve — requests per second of `curate serve`, whose every request under /s/ is recorded in the
 * catalog before its answer leaves. Measured in one run against the same server: a request outside /s/ (not
 * recorded: the server's own cost), then requests under /s/ (a token no share has: 404, recorded) one at a time and
 * 8 at once, as a browser opening a gallery asks for its thumbnails. The catalog lives in bench/.data (a real disk:
 * /tmp may be memory, where a sync costs nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import {Catalog} from '../source/db/catalog.js';
import {ShareStore} from '../source/db/shares.js';
import {libraryAt} from '../source/library.js';
import {serveLibrary} from '../source/serve/serve-library.js';

const root = path.resolve(import.meta.dirname, '.data', 'serve-library');
fs.rmSync(root, {recursive: true, force: true});
fs.mkdirSync(root, {recursive: true});
const library = libraryAt(root);
Catalog.open(library.catalogPath).close();

const served = await serveLibrary(library, {bind: '127.0.0.1', port: 0});
const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);

/** Requests per second for `path`, `concurrency` at once, for about `seconds`. */
async function rate(pathname: string, concurrency: number): Promise<number> {
	let done = 0;
	const end = performance.now() + seconds * 1000;
	const worker = async () => {
		while (performance.now() < end) {
			// eslint-disable-next-line no-await-in-loop
			const response = await fetch(`${served.url}${pathname}`);
			// eslint-disable-next-line no-await-in-loop
			await response.arrayBuffer();
			done++;
		}
	};

	const start = performance.now();
	await Promise.all(Array.from({length: concurrency}, async () => worker()));
	return done / ((performance.now() - start) / 1000);
}

const token = 'A'.repeat(22);
await rate('/', 4); // Warm-up: connections, JIT.
const unrecorded = await rate('/', 8);
const one = await rate(`/s/${token}`, 1);
const eight = await rate(`/s/${token}`, 8);
await served.close();
const catalog = Catalog.open(library.catalogPath);
const logged = new ShareStore(catalog).access().length;
catalog.close();
console.log(`not recorded (/), 8 at once: ${unrecorded.toFixed(0)} requests/s`);
console.log(`recorded (/s/…), 1 at a time: ${one.toFixed(0)} requests/s (${(1000 / one).toFixed(2)} ms each), ${(one / unrecorded).toFixed(2)}x the unrecorded rate`);
console.log(`recorded (/s/…), 8 at once: ${eight.toFixed(0)} requests/s, ${(eight / one).toFixed(1)}x the rate of one at a time, ${(eight / unrecorded).toFixed(2)}x the unrecorded rate`);
console.log(`${logged} requests in the log (load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
