/**
 * npm run bench:search — `curate search` at a million photos on synthetic CLIP-like embeddings (512 dimensions).
 *
 * Builds (once, cached in bench/.data) a real catalog with N files and their int8 embeddings and its vector cache
 * file, then prints the time to load the cache file, ms per text query (SIMD dot products on 1 and 2 threads + a
 * size-k heap; the scalar loop once for comparison), a filtered query (SQL, row mask, ranking), and the top-10
 * agreement of int8 with float32 scores on a sample.
 * Usage: npm run bench:search [-- --count N]
 */
import fs from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {Catalog} from '../source/db/catalog.js';
import {EmbeddingStore} from '../source/db/embeddings.js';
import {quantize, scoreAll, topK} from '../source/core/vectors.js';
import type {Embedder} from '../source/adapters/embedder.js';
import {VectorScorer} from '../source/ai/score-pool.js';
import {searchLibrary} from '../source/ai/search.js';
import {parseQuery} from '../source/core/search-query.js';
import {loadVectors, markRows, mergeVectors, readVectorCache, vectorCachePath, writeVectorCache} from '../source/ai/vector-cache.js';
import {connectionOf} from '../source/db/connection.js';

const {values} = parseArgs({options: {count: {type: 'string', default: '1000000'}}});
const count = Number(values.count);
const dimensions = 512;
const model = 'bench@synthetic:q8';

function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

const next = random(42);
const gaussian = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
const unit = (vector: Float32Array) => {
	let norm = 0;
	for (const value of vector) {
		norm += value * value;
	}

	norm = Math.sqrt(norm);
	return vector.map(value => value / norm);
};

// CLIP image embeddings share a strong common direction and cluster by topic; so do these.
const common = unit(Float32Array.from({length: dimensions}, gaussian));
const themes = Array.from({length: 200}, () => unit(Float32Array.from({length: dimensions}, gaussian)));
const photo = () => {
	const theme = themes[Math.floor(next() * themes.length)]!;
	return unit(Float32Array.from({length: dimensions}, (_, i) => common[i]! * 2 + theme[i]! * 1.2 + gaussian() * 0.15));
};

const file = path.resolve(import.meta.dirname, '.data', `search-${count}.db`);
if (!fs.existsSync(file)) {
	console.log(`building a catalog of ${count.toLocaleString('en')} files with embeddings in ${file} (once)…`);
	const started = performance.now();
	fs.mkdirSync(path.dirname(file), {recursive: true});
	const building = `${file}.building`;
	fs.rmSync(building, {force: true});
	const catalog = Catalog.open(building);
	connectionOf(catalog).pragma('synchronous = OFF');
	const insertFile = connectionOf(catalog).prepare(`INSERT INTO files (path, size, mtime_ms, sha256, format, kind, taken_at, make, model, first_seen_at, scanned_at)
		VALUES (?, 1000, 0, ?, 'jpeg', 'image', ?, 'Canon', ?, '', '')`);
	const insertEmbedding = connectionOf(catalog).prepare("INSERT INTO embeddings (sha256, model, dimensions, scale, vector, created_at) VALUES (?, ?, ?, ?, ?, '')");
	const chunk = 10_000;
	for (let start = 0; start < count; start += chunk) {
		connectionOf(catalog).transaction(() => {
			for (let i = start; i < Math.min(count, start + chunk); i++) {
				const sha = i.toString(16).padStart(64, '0');
				insertFile.run(`${2005 + (i % 20)}/${String(i % 12 + 1).padStart(2, '0')}/IMG_${i}.jpg`, sha, `${2005 + (i % 20)}-06-01T12:00:00`, i % 3 === 0 ? 'EOS R5' : 'Pixel 7');
				const {scale, bytes} = quantize(photo());
				insertEmbedding.run(sha, model, dimensions, scale, Buffer.from(bytes.buffer));
			}
		})();
	}

	catalog.close();
	fs.renameSync(building, file);
	console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const catalog = Catalog.open(file);
const store = new EmbeddingStore(catalog);
const cacheDir = path.dirname(file);
const cacheFile = vectorCachePath(cacheDir, model);
let started = performance.now();
if (!readVectorCache(cacheFile, model, store.vectorStamp(model))) {
	const built = loadVectors(store, cacheDir, model);
	console.log(`cache file built from the catalog (once, or after curate tag): ${built.rows.toLocaleString('en')} vectors in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

started = performance.now();
const vectors = loadVectors(store, cacheDir, model);
const loadSeconds = (performance.now() - started) / 1000;
console.log(`load: ${vectors.rows.toLocaleString('en')} vectors (${(vectors.matrix.byteLength / 1e6).toFixed(0)} MB int8) from the cache file in ${loadSeconds.toFixed(2)} s (fromCache ${vectors.fromCache}); RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);

const queries = Array.from({length: 10}, photo);
for (const threads of [1, 2]) {
	started = performance.now();
	// eslint-disable-next-line no-await-in-loop
	const scorer = await VectorScorer.open(vectors, {threads});
	const startup = performance.now() - started;
	// eslint-disable-next-line no-await-in-loop
	await scorer.score(queries[0]!);
	started = performance.now();
	for (const query of queries) {
		// eslint-disable-next-line no-await-in-loop
		topK(await scorer.score(query), 20);
	}

	const perQuery = (performance.now() - started) / queries.length;
	console.log(`query (${scorer.simd ? 'SIMD' : 'scalar'}, ${scorer.threads} thread${scorer.threads > 1 ? 's' : ''}, dot products + top 20): ${perQuery.toFixed(0)} ms per query over ${vectors.rows.toLocaleString('en')} photos (start-up ${startup.toFixed(0)} ms)`);
	// eslint-disable-next-line no-await-in-loop
	await scorer.close();
}

const scalar = await VectorScorer.open(vectors, {scalar: true});
started = performance.now();
topK(await scalar.score(queries[0]!), 20);
console.log(`for comparison, the scalar JavaScript loop on 1 thread: ${(performance.now() - started).toFixed(0)} ms for one query`);
await scalar.close();

const scorer = await VectorScorer.open(vectors);
const query = {text: 'x', tags: [], years: [[2019, 2019]] as Array<[number, number]>, cameras: ['eos'], paths: []};
started = performance.now();
const contents = store.filteredContents(query, []);
const filterMs = performance.now() - started;
started = performance.now();
const allowed = markRows(vectors, contents, scorer.mask);
const maskMs = performance.now() - started;
started = performance.now();
const scores = await scorer.score(queries[1]!, true);
const filtered = topK(scores, 20, row => scores[row] !== Number.NEGATIVE_INFINITY);
console.log(`with filters year:2019 camera:eos (${allowed.toLocaleString('en')} photos pass): SQL ${filterMs.toFixed(0)} ms + mask ${maskMs.toFixed(0)} ms + ranking ${(performance.now() - started).toFixed(0)} ms, ${filtered.length} results`);
await scorer.close();
// What `curate tag` does to the cache file after embedding 1,000 new photos: merge them in and write the file (to a
// scratch file here, so the bench's own cache stays valid).
{
	const added = Array.from({length: 1000}, (_, i) => ({sha256: (count + i).toString(16).padStart(64, 'f'), ...quantize(photo())}));
	const scratch = `${cacheFile}.merge-bench`;
	started = performance.now();
	writeVectorCache(scratch, mergeVectors(vectors, added, 'bench'));
	console.log(`after curate tag embeds 1,000 more photos: cache file merged and rewritten in ${((performance.now() - started) / 1000).toFixed(2)} s`);
	fs.rmSync(scratch, {force: true});
}

// The whole engine as one `curate search` process runs it (cache file read, workers, scoring, top 20, paths and
// tags), with a stand-in for the text model, whose time depends on the model and is not what is measured here.
const embedder = {key: model, source: {kind: 'hub', spec: model, dir: '', dtype: 'q8', missing: []}, dimensions, inputSize: 224, embedImages: async () => new Float32Array(0), embedTexts: async () => queries[2]!, dispose: async () => undefined} satisfies Embedder;
for (const text of ['x', 'x year:2019 camera:eos']) {
	const times: number[] = [];
	for (let run = 0; run < 3; run++) {
		started = performance.now();
		// eslint-disable-next-line no-await-in-loop
		await searchLibrary(store, parseQuery(text), {embedder, taxonomy: [], limit: 20, curateDir: cacheDir});
		times.push(performance.now() - started);
	}

	console.log(`searchLibrary "${text}" end to end (load from cache + score + results): ${times.map(time => time.toFixed(0)).join(', ')} ms`);
}

const sample = Math.min(100_000, vectors.rows);
const scales = vectors.scales;
const matrix = new Int8Array(sample * dimensions);
for (let row = 0; row < sample; row++) {
	matrix.set(vectors.matrix.subarray(row * vectors.stride, row * vectors.stride + dimensions), row * dimensions);
}

// int8 against float32 on the first 100,000 rows.
let overlap = 0;
for (const q of queries) {
	const exact = new Float32Array(sample);
	for (let row = 0; row < sample; row++) {
		let sum = 0;
		for (let i = 0; i < dimensions; i++) {
			sum += matrix[row * dimensions + i]! * q[i]!;
		}

		exact[row] = sum * scales[row]!;
	}

	const expected = new Set(topK(exact, 10));
	overlap += topK(scoreAll(matrix.subarray(0, sample * dimensions), scales.subarray(0, sample), dimensions, q), 10).filter(row => expected.has(row)).length / 10;
}

console.log(`int8 query vs float32 query on the stored vectors: mean top-10 overlap ${(overlap / queries.length).toFixed(3)} (${queries.length} queries, ${sample.toLocaleString('en')} photos)`);
catalog.close();
