/**
 * The embeddings of one model as one binary file beside the catalog, `.curate/vectors-<model>.bin` (issue 6: a
 * million-photo search must not spend 20 s pulling a million blobs out of SQLite first). The file is read with a
 * few sequential reads straight into shared WebAssembly memory that the scoring kernel and its worker use as is.
 *
 * Layout (little-endian): `CURVEC01`, u32 header length, JSON header `{model, stamp, rows, dimensions, stride}`, zero
 * padding to 16 bytes; then the int8 matrix (rows × stride, each row zero-padded from `dimensions` to `stride`, a
 * multiple of 16, for the SIMD kernel), the raw 32-byte SHA-256 of each row, and one float32 scale per row. Rows are
 * in SHA-256 order, so a filter's contents map to rows by one merge walk. `stamp` is the catalog's
 * `EmbeddingStore.vectorStamp`: a file whose stamp differs is stale and rebuilt from the catalog.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {EmbeddingStore} from '../db/embeddings.js';

const magic = 'CURVEC01';
const page = 65_536;
const align = (value: number, to: number) => Math.ceil(value / to) * to;

/** Where each part lives in the shared memory: the matrix at 0, then the query, the filter mask and the scores. */
export type VectorLayout = {readonly query: number; readonly mask: number; readonly out: number; readonly pages: number};

/** The stored embeddings of one model, ready to score. */
export type VectorSet = {
	readonly model: string;
	readonly stamp: string;
	readonly rows: number;
	readonly dimensions: number;
	/** Bytes from one row to the next (dimensions rounded up to 16). */
	readonly stride: number;
	/** Shared memory holding the matrix and the scoring scratch space (see `layout`). */
	readonly memory: WebAssembly.Memory;
	readonly layout: VectorLayout;
	readonly matrix: Int8Array;
	/** Raw SHA-256 of each row, 32 bytes each, ascending. */
	readonly shas: Buffer;
	readonly scales: Float32Array;
	/** Whether this set was read from the cache file (false: rebuilt from the catalog). */
	readonly fromCache: boolean;
};

/** The lowercase hex SHA-256 of `row`. */
export function shaAt(vectors: VectorSet, row: number): string {
	return vectors.shas.toString('hex', row * 32, row * 32 + 32);
}

/** The cache file of `model` in the library's `.curate` folder (the key made safe for a file name). */
export function vectorCachePath(curateDir: string, model: string): string {
	return path.join(curateDir, `vectors-${model.replaceAll(/[^\w.@-]+/g, '_')}.bin`);
}

function allocate(rows: number, stride: number): {memory: WebAssembly.Memory; layout: VectorLayout} {
	const query = align(rows * stride, 16);
	const mask = query + stride;
	const out = align(mask + rows, 16);
	const pages = Math.max(1, Math.ceil((out + rows * 4) / page));
	return {memory: new WebAssembly.Memory({initial: pages, maximum: pages, shared: true}), layout: {query, mask, out, pages}};
}

function readFully(fd: number, target: Uint8Array, position: number): void {
	for (let done = 0; done < target.length; ) {
		const read = fs.readSync(fd, target, done, Math.min(target.length - done, 1 << 28), position + done);
		if (read === 0) {
			throw new Error('vector cache file is truncated');
		}

		done += read;
	}
}

/** Reads a cache file if it is there, whole and stamped `stamp`; otherwise undefined. */
export function readVectorCache(file: string, model: string, stamp: string): VectorSet | undefined {
	let fd;
	try {
		fd = fs.openSync(file, 'r');
	} catch {
		return undefined;
	}

	try {
		const head = Buffer.alloc(4096);
		const got = fs.readSync(fd, head, 0, head.length, 0);
		if (got < 12 || head.toString('latin1', 0, 8) !== magic) {
			return undefined;
		}

		const length = head.readUInt32LE(8);
		if (12 + length > got) {
			return undefined;
		}

		const header = JSON.parse(head.toString('utf8', 12, 12 + length)) as {model: string; stamp: string; rows: number; dimensions: number; stride: number};
		if (header.model !== model || header.stamp !== stamp) {
			return undefined;
		}

		const {rows, dimensions, stride} = header;
		const start = align(12 + length, 16);
		if (fs.fstatSync(fd).size !== start + rows * stride + rows * 32 + rows * 4) {
			return undefined;
		}

		const {memory, layout} = allocate(rows, stride);
		const matrix = new Int8Array(memory.buffer, 0, rows * stride);
		readFully(fd, new Uint8Array(memory.buffer, 0, rows * stride), start);
		const shas = Buffer.alloc(rows * 32);
		readFully(fd, shas, start + rows * stride);
		const scales = new Float32Array(rows);
		readFully(fd, new Uint8Array(scales.buffer), start + rows * stride + rows * 32);
		return {model, stamp, rows, dimensions, stride, memory, layout, matrix, shas, scales, fromCache: true};
	} catch {
		return undefined;
	} finally {
		fs.closeSync(fd);
	}
}

/** Writes `vectors` to `file` atomically (a temporary file renamed over it). */
export function writeVectorCache(file: string, vectors: VectorSet): void {
	const header = Buffer.from(JSON.stringify({model: vectors.model, stamp: vectors.stamp, rows: vectors.rows, dimensions: vectors.dimensions, stride: vectors.stride}));
	const start = align(12 + header.length, 16);
	const head = Buffer.alloc(start);
	head.write(magic, 0, 'latin1');
	head.writeUInt32LE(header.length, 8);
	header.copy(head, 12);
	const temporary = `${file}.${process.pid}.tmp`;
	try {
		const fd = fs.openSync(temporary, 'w');
		try {
			for (const part of [head, new Uint8Array(vectors.memory.buffer, 0, vectors.rows * vectors.stride), vectors.shas, new Uint8Array(vectors.scales.buffer, vectors.scales.byteOffset, vectors.rows * 4)]) {
				for (let done = 0; done < part.length; ) {
					done += fs.writeSync(fd, part, done, Math.min(part.length - done, 1 << 28));
				}
			}
		} finally {
			fs.closeSync(fd);
		}

		fs.renameSync(temporary, file);
	} catch (error) {
		// A full disk leaves no half-written temporary file behind.
		fs.rmSync(temporary, {force: true});
		throw error;
	}
}

/** Builds the set from the catalog: one query in SHA-256 order, each row copied into the shared matrix. */
export function buildVectorSet(store: EmbeddingStore, model: string): VectorSet {
	// The stamp is read first: a batch committed during the read makes the file stale, never wrongly fresh.
	const stamp = store.vectorStamp(model);
	const {count, dimensions} = store.vectorCount(model);
	const stride = align(Math.max(dimensions, 1), 16);
	const {memory, layout} = allocate(count, stride);
	const matrix = new Int8Array(memory.buffer, 0, count * stride);
	const shas = Buffer.alloc(count * 32);
	const scales = new Float32Array(count);
	let row = 0;
	for (const [sha256, scale, vector] of store.sortedVectors(model)) {
		if (row >= count || vector.length !== dimensions) {
			continue;
		}

		shas.write(sha256, row * 32, 32, 'hex');
		scales[row] = scale;
		matrix.set(new Int8Array(vector.buffer, vector.byteOffset, dimensions), row * stride);
		row++;
	}

	return {model, stamp, rows: row, dimensions, stride, memory, layout, matrix, shas: shas.subarray(0, row * 32), scales: scales.subarray(0, row), fromCache: false};
}

/**
 * The embeddings of `model`: from the cache file when it matches the catalog's stamp, else rebuilt from the catalog
 * and the file rewritten (a read-only library folder only costs the rebuild next time).
 */
export function loadVectors(store: EmbeddingStore, curateDir: string, model: string): VectorSet {
	const file = vectorCachePath(curateDir, model);
	const cached = readVectorCache(file, model, store.vectorStamp(model));
	if (cached) {
		return cached;
	}

	const built = buildVectorSet(store, model);
	try {
		writeVectorCache(file, built);
	} catch {
		// Not writable (a read-only share): searching still works, only without the cache.
	}

	return built;
}

/** Rewrites the cache file of `model` from the catalog (after `curate tag` committed new embeddings). */
export function refreshVectorCache(store: EmbeddingStore, curateDir: string, model: string): void {
	writeVectorCache(vectorCachePath(curateDir, model), buildVectorSet(store, model));
}

/**
 * Marks in `mask` (one byte per row, 1 = allowed) the rows whose SHA-256 is in `sorted` (ascending hex, as
 * `EmbeddingStore.filteredContents` returns), with no map of a million strings: a binary search per content when
 * they are few, one merge walk when they are many.
 */
export function markRows(vectors: VectorSet, sorted: readonly string[], mask: Uint8Array): number {
	mask.fill(0);
	const {shas, rows} = vectors;
	const wanted = Buffer.alloc(32);
	// The first 4 bytes as a number decide almost every comparison without a call into Buffer.compare.
	const prefixes = new Uint32Array(rows);
	for (let row = 0; row < rows; row++) {
		prefixes[row] = shas.readUInt32BE(row * 32);
	}

	let prefix = 0;
	const before = (row: number) => prefixes[row]! < prefix || (prefixes[row] === prefix && shas.compare(wanted, 0, 32, row * 32, row * 32 + 32) < 0);
	const search = sorted.length * Math.log2(rows + 1) < rows;
	let row = 0;
	let marked = 0;
	for (const sha256 of sorted) {
		if (wanted.write(sha256, 0, 32, 'hex') !== 32) {
			continue;
		}

		prefix = wanted.readUInt32BE(0);
		if (search) {
			let high = rows;
			while (row < high) {
				const middle = (row + high) >>> 1;
				if (before(middle)) {
					row = middle + 1;
				} else {
					high = middle;
				}
			}
		} else {
			while (row < rows && before(row)) {
				row++;
			}
		}

		if (row >= rows) {
			break;
		}

		if (shas.compare(wanted, 0, 32, row * 32, row * 32 + 32) === 0) {
			mask[row] = 1;
			marked++;
		}
	}

	return marked;
}

/** One embedding committed by `curate tag`, as it goes into the cache. */
export type AddedVector = {readonly sha256: string; readonly scale: number; readonly bytes: Int8Array};

/** `vectors` with `added` (not already in it) merged in at their SHA-256 places, stamped `stamp`. */
export function mergeVectors(vectors: VectorSet, added: readonly AddedVector[], stamp: string): VectorSet {
	const sorted = [...added].sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
	const {stride, dimensions} = vectors;
	const rows = vectors.rows + sorted.length;
	const {memory, layout} = allocate(rows, stride);
	const matrix = new Int8Array(memory.buffer, 0, rows * stride);
	const shas = Buffer.alloc(rows * 32);
	const scales = new Float32Array(rows);
	const wanted = Buffer.alloc(32);
	let from = 0;
	let to = 0;
	const copyOld = (end: number) => {
		matrix.set(vectors.matrix.subarray(from * stride, end * stride), to * stride);
		vectors.shas.copy(shas, to * 32, from * 32, end * 32);
		scales.set(vectors.scales.subarray(from, end), to);
		to += end - from;
		from = end;
	};

	for (const row of sorted) {
		wanted.write(row.sha256, 0, 32, 'hex');
		let low = from;
		let high = vectors.rows;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (vectors.shas.compare(wanted, 0, 32, middle * 32, middle * 32 + 32) < 0) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		copyOld(low);
		wanted.copy(shas, to * 32);
		scales[to] = row.scale;
		matrix.set(row.bytes.subarray(0, dimensions), to * stride);
		to++;
	}

	copyOld(vectors.rows);
	return {model: vectors.model, stamp, rows, dimensions, stride, memory, layout, matrix, shas, scales, fromCache: false};
}

/**
 * Brings the cache file of `model` up to date after `curate tag` committed `added`: merged into the file when it
 * was current at `previousStamp` (no other change happened in between: tagging holds the library's lock), else
 * rebuilt from the catalog. A merge reads one file and writes one; a rebuild reads every row of the catalog.
 */
export function updateVectorCache(store: EmbeddingStore, curateDir: string, model: string, previousStamp: string, added: readonly AddedVector[]): 'merged' | 'rebuilt' {
	const file = vectorCachePath(curateDir, model);
	const previous = readVectorCache(file, model, previousStamp);
	if (previous && added.every(row => row.bytes.length === previous.dimensions)) {
		writeVectorCache(file, mergeVectors(previous, added, store.vectorStamp(model)));
		return 'merged';
	}

	refreshVectorCache(store, curateDir, model);
	return 'rebuilt';
}
