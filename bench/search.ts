/**
 * npm run bench:search — `curate search` at a million photos on synthetic CLIP-like embeddings (512 dimensions).
 *
 * Builds (once, cached in bench/.data) a real catalog with N files and their int8 embeddings, then prints the time
 * to load every vector with one query into one contiguous matrix, ms per text query (integer dot products + a
 * size-k heap) with and without a filter, and the top-10 agreement of int8 with float32 scores on a sample.
 * Usage: npm run bench:search [-- --count N]
 */
import fs from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {Catalog} from '../source/db/catalog.js';
import {EmbeddingStore} from '../source/db/embeddings.js';
import {quantize, scoreAll, topK} from '../source/core/vectors.js';

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
	catalog.db.pragma('synchronous = OFF');
	const insertFile = catalog.db.prepare(`INSERT INTO files (path, size, mtime_ms, sha256, format, kind, taken_at, make, model, first_seen_at, scanned_at)
		VALUES (?, 1000, 0, ?, 'jpeg', 'image', ?, 'Canon', ?, '', '')`);
	const insertEmbedding = catalog.db.prepare("INSERT INTO embeddings (sha256, model, dimensions, scale, vector, created_at) VALUES (?, ?, ?, ?, ?, '')");
	const chunk = 10_000;
	for (let start = 0; start < count; start += chunk) {
		catalog.db.transaction(() => {
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
let started = performance.now();
const {sha256s, scales, matrix} = store.loadMatrix(model);
const loadSeconds = (performance.now() - started) / 1000;
console.log(`load: ${sha256s.length.toLocaleString('en')} vectors (${(matrix.byteLength / 1e6).toFixed(0)} MB int8) in ${loadSeconds.toFixed(2)} s, one query; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);

const queries = Array.from({length: 10}, photo);
const scores = new Float32Array(sha256s.length);
scoreAll(matrix, scales, dimensions, queries[0]!, scores);
started = performance.now();
for (const query of queries) {
	topK(scoreAll(matrix, scales, dimensions, query, scores), 20);
}

const perQuery = (performance.now() - started) / queries.length;
console.log(`query (dot products + top 20): ${perQuery.toFixed(0)} ms per query over ${sha256s.length.toLocaleString('en')} photos`);

started = performance.now();
const query = {text: 'x', tags: [], years: [[2019, 2019]] as Array<[number, number]>, cameras: ['eos'], paths: []};
const allowed = new Set(store.filteredFiles(query, []).map(row => row.sha256));
const filterMs = performance.now() - started;
started = performance.now();
const filtered = topK(scoreAll(matrix, scales, dimensions, queries[1]!, scores), 20, row => allowed.has(sha256s[row]!));
console.log(`with filters year:2019 camera:eos (${allowed.size.toLocaleString('en')} photos pass): SQL ${filterMs.toFixed(0)} ms + ranking ${(performance.now() - started).toFixed(0)} ms, ${filtered.length} results`);

// int8 against float32 on the first 100,000 rows.
const sample = Math.min(100_000, sha256s.length);
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
