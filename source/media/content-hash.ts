/**
 * The "pixels" duplicate tier: a SHA-256 over a file's coded image data with every metadata block left out, so
 * copies that differ only in EXIF/XMP/ICC/comments (a re-tagged or `exiftool -all=` stripped copy) hash alike,
 * while any re-encode (different coded bytes) does not. Nothing is decoded; the containers are only walked.
 */
import {createHash, type Hash} from 'node:crypto';
import type {Format} from '../core/types.js';

/**
 * Hash the coded image data of `data` (a whole file), skipping metadata.
 *
 * Supported: JPEG (all segments except APP0-APP15 and COM, plus the entropy-coded scans up to EOI), PNG (critical
 * chunks, tRNS and APNG frame chunks; IDAT as one stream so re-chunking does not matter), WebP (bitstream, alpha and
 * animation chunks), HEIC/AVIF (every item except Exif/XMP/URI items, the image properties, primary item and
 * derivation references). Returns a lowercase hex digest, or null for unsupported formats (TIFF, raws, GIF, video,
 * ...) and for malformed or truncated input. Never throws.
 */
export function contentHash(data: Uint8Array, format: Format): string | null {
	try {
		const hash = createHash('sha256');
		// Domain-separate the formats so that equal payloads in different containers can never collide.
		hash.update(`curate-content-v1:${format}\0`);
		let ok: boolean;
		switch (format) {
			case 'jpeg':
				ok = hashJpeg(data, hash);
				break;
			case 'png':
				ok = hashPng(data, hash);
				break;
			case 'webp':
				ok = hashWebp(data, hash);
				break;
			case 'heic':
			case 'avif':
				ok = hashHeif(data, hash);
				break;
			default:
				return null;
		}
		return ok ? hash.digest('hex') : null;
	} catch {
		// Any out-of-range read of a malformed file lands here.
		return null;
	}
}

/** Bounds-checked reads: a bad offset throws, and `contentHash` turns that into null. */
class Reader {
	readonly view: DataView;

	constructor(readonly bytes: Uint8Array) {
		this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	}

	get length(): number {
		return this.bytes.length;
	}

	check(offset: number, size: number): void {
		if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0 || offset + size > this.bytes.length) {
			throw new RangeError(`read of ${size} bytes at ${offset} outside ${this.bytes.length}`);
		}
	}

	u8(offset: number): number {
		this.check(offset, 1);
		return this.bytes[offset];
	}

	u16be(offset: number): number {
		this.check(offset, 2);
		return this.view.getUint16(offset);
	}

	u32be(offset: number): number {
		this.check(offset, 4);
		return this.view.getUint32(offset);
	}

	u32le(offset: number): number {
		this.check(offset, 4);
		return this.view.getUint32(offset, true);
	}

	/** Unsigned big-endian integer of 0, 1, 2, 4 or 8 bytes (ISOBMFF variable-size fields). */
	uintBe(offset: number, size: number): number {
		switch (size) {
			case 0:
				return 0;
			case 1:
				return this.u8(offset);
			case 2:
				return this.u16be(offset);
			case 4:
				return this.u32be(offset);
			case 8: {
				const value = this.u32be(offset) * 2 ** 32 + this.u32be(offset + 4);
				if (!Number.isSafeInteger(value)) throw new RangeError('64-bit value too large');
				return value;
			}
			default:
				throw new RangeError(`bad field size ${size}`);
		}
	}

	fourcc(offset: number): string {
		this.check(offset, 4);
		return String.fromCharCode(this.bytes[offset], this.bytes[offset + 1], this.bytes[offset + 2], this.bytes[offset + 3]);
	}

	slice(offset: number, size: number): Uint8Array {
		this.check(offset, size);
		return this.bytes.subarray(offset, offset + size);
	}
}

function u32Bytes(value: number): Uint8Array {
	const out = new Uint8Array(4);
	new DataView(out.buffer).setUint32(0, value >>> 0);
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// JPEG

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;

function isApp(marker: number): boolean {
	return marker >= 0xe0 && marker <= 0xef;
}

function isRst(marker: number): boolean {
	return marker >= 0xd0 && marker <= 0xd7;
}

/** Walk the marker segments up to EOI; false if the stream is not a well-formed, complete JPEG. */
function hashJpeg(bytes: Uint8Array, hash: Hash): boolean {
	const r = new Reader(bytes);
	if (r.u8(0) !== 0xff || r.u8(1) !== SOI) return false;
	let p = 2;
	let sawScan = false;
	for (;;) {
		if (r.u8(p) !== 0xff) return false;
		// Any number of 0xFF fill bytes may precede a marker.
		while (r.u8(p) === 0xff) p++;
		const marker = r.u8(p);
		p++;
		if (marker === EOI) {
			hash.update(Uint8Array.of(0xff, EOI));
			return sawScan;
		}
		// Standalone markers (TEM, stray RSTn) carry no length and no data.
		if (marker === 0x01 || isRst(marker)) continue;
		const length = r.u16be(p);
		if (length < 2) return false;
		const segment = r.slice(p, length);
		p += length;
		if (isApp(marker) || marker === COM) continue;
		hash.update(Uint8Array.of(0xff, marker));
		hash.update(segment);
		if (marker === SOS) {
			const end = endOfScan(bytes, p);
			if (end < 0) return false;
			hash.update(bytes.subarray(p, end));
			p = end;
			sawScan = true;
		}
	}
}

/**
 * Offset of the marker ending the entropy-coded data that starts at `start`, or -1 if the file ends first.
 * Inside a scan, 0xFF is followed by 0x00 (a stuffed data byte), by RSTn (restart markers belong to the scan),
 * or by more 0xFF fill bytes before a real marker. 0xFF followed by 0x01-0xBF (TEM and reserved codes) cannot end a
 * scan in a valid file; seen in the wild in corrupted scans, it is treated as (damaged) scan data so the hash still
 * covers the image up to its EOI.
 */
function endOfScan(bytes: Uint8Array, start: number): number {
	let p = start;
	for (;;) {
		p = bytes.indexOf(0xff, p);
		if (p < 0) return -1;
		let q = p + 1;
		while (q < bytes.length && bytes[q] === 0xff) q++;
		if (q >= bytes.length) return -1;
		const next = bytes[q];
		if (next < 0xc0 || isRst(next)) {
			p = q + 1;
			continue;
		}
		return p;
	}
}

// ---------------------------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Ancillary chunks that are image data rather than metadata: transparency and APNG animation frames.
const PNG_ANCILLARY_IMAGE_CHUNKS = new Set(['tRNS', 'acTL', 'fcTL', 'fdAT']);

/**
 * Critical chunks (uppercase first letter: IHDR, PLTE, IDAT, and any unknown critical chunk a decoder could not
 * skip) plus the image-bearing ancillaries. Metadata ancillaries (tEXt, zTXt, iTXt, eXIf, tIME, iCCP, gAMA, cHRM,
 * sRGB, pHYs, ...) are skipped.
 */
function hashPng(bytes: Uint8Array, hash: Hash): boolean {
	const r = new Reader(bytes);
	r.check(0, 8);
	if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return false;
	let p = 8;
	let inIdat = false;
	for (;;) {
		const length = r.u32be(p);
		const type = r.fourcc(p + 4);
		const payload = r.slice(p + 8, length);
		r.check(p + 8 + length, 4); // CRC
		p += 12 + length;
		if (type === 'IEND') return true;
		if (type === 'IDAT') {
			// Encoders split the zlib stream into IDAT chunks of arbitrary size; hash it as one stream.
			if (!inIdat) hash.update('IDAT');
			inIdat = true;
			hash.update(payload);
			continue;
		}
		const critical = (type.charCodeAt(0) & 0x20) === 0;
		if (!critical && !PNG_ANCILLARY_IMAGE_CHUNKS.has(type)) continue;
		inIdat = false;
		hash.update(type);
		hash.update(u32Bytes(length));
		hash.update(payload);
	}
}

// ---------------------------------------------------------------------------------------------------------------
// WebP

const WEBP_IMAGE_CHUNKS = new Set(['VP8 ', 'VP8L', 'ALPH', 'ANIM', 'ANMF']);

/**
 * Bitstream, alpha and animation chunks. The VP8X header is reduced to its canvas size, and only for animations:
 * its flags change whenever EXIF/XMP/ICC is added, and a still image's canvas must equal the bitstream's own size,
 * so a simple (VP8-only) file and the same bitstream wrapped in VP8X with EXIF hash alike.
 */
function hashWebp(bytes: Uint8Array, hash: Hash): boolean {
	const r = new Reader(bytes);
	if (r.fourcc(0) !== 'RIFF' || r.fourcc(8) !== 'WEBP') return false;
	// Trust the RIFF size only as far as the file goes; some writers get it wrong, and chunk reads are checked anyway.
	const end = Math.min(bytes.length, 8 + r.u32le(4));
	let p = 12;
	let canvas: Uint8Array | undefined;
	let animated = false;
	let sawImage = false;
	const parts: Uint8Array[] = [];
	while (p + 8 <= end) {
		const type = r.fourcc(p);
		const size = r.u32le(p + 4);
		const payloadStart = p + 8;
		const payload = r.slice(payloadStart, size);
		// Chunks are padded to an even size.
		p = payloadStart + size + (size & 1);
		if (type === 'VP8X') {
			// Bytes 0-3 are flags + reserved; 4-9 hold canvas width-1 and height-1 (24 bits each).
			canvas = r.slice(payloadStart + 4, 6);
			continue;
		}
		if (!WEBP_IMAGE_CHUNKS.has(type)) continue;
		if (type === 'ANIM' || type === 'ANMF') animated = true;
		if (type !== 'ANIM') sawImage = true;
		parts.push(new TextEncoder().encode(type), u32Bytes(size), payload);
	}
	if (!sawImage) return false;
	if (animated) {
		if (!canvas) return false;
		hash.update('VP8X');
		hash.update(canvas);
	}
	for (const part of parts) hash.update(part);
	return true;
}

// ---------------------------------------------------------------------------------------------------------------
// HEIF (HEIC / AVIF)

type Box = {type: string; start: number; payload: number; end: number};

/** Item types that are metadata, not image data. */
const HEIF_METADATA_ITEMS = new Set(['Exif', 'mime', 'uri ']);
// Item references that describe how the image is composed (grid tiles, auxiliary images such as alpha/depth);
// `cdsc` (metadata -> image) and `thmb` only link items and are left out.
const HEIF_IMAGE_REFERENCES = new Set(['dimg', 'auxl', 'base']);

/** The header of the box at `p` in a region ending at `end`: size 0 runs to `end`; size 1 has a 64-bit size. */
function boxHeader(r: Reader, p: number, end: number): {type: string; size: number; header: number} {
	const type = r.fourcc(p + 4);
	const size = r.u32be(p);
	if (size === 1) return {type, size: r.uintBe(p + 8, 8), header: 16};
	return {type, size: size === 0 ? end - p : size, header: 8};
}

/** Children of the box region [start, end). */
function boxes(r: Reader, start: number, end: number): Box[] {
	const out: Box[] = [];
	let p = start;
	while (p + 8 <= end) {
		const {type, size, header} = boxHeader(r, p, end);
		if (size < header || p + size > end) throw new RangeError(`box ${type} overruns its parent`);
		out.push({type, start: p, payload: p + header, end: p + size});
		p += size;
	}
	return out;
}

function child(r: Reader, parent: Box, type: string, fullBox: boolean): Box | undefined {
	return boxes(r, parent.payload + (fullBox ? 4 : 0), parent.end).find((b) => b.type === type);
}

type Extent = {offset: number; length: number};
type Location = {constructionMethod: number; dataReferenceIndex: number; extents: Extent[]};

/**
 * Walk `meta`: hash the primary item id, the image properties (`ipco` children, minus ICC colour profiles which are
 * metadata like APP2/iCCP elsewhere), the composition references, and the bytes of every non-metadata item in
 * item-id order.
 */
function hashHeif(bytes: Uint8Array, hash: Hash): boolean {
	const r = new Reader(bytes);
	const top = boxes(r, 0, bytes.length);
	const meta = top.find((b) => b.type === 'meta');
	if (!meta) return false;
	const iinf = child(r, meta, 'iinf', true);
	const iloc = child(r, meta, 'iloc', true);
	if (!iinf || !iloc) return false;
	const types = parseIinf(r, iinf);
	const locations = parseIloc(r, iloc);
	const idat = child(r, meta, 'idat', true);

	const pitm = child(r, meta, 'pitm', true);
	if (pitm) {
		const version = r.u8(pitm.payload);
		hash.update('pitm');
		hash.update(u32Bytes(version === 0 ? r.u16be(pitm.payload + 4) : r.u32be(pitm.payload + 4)));
	}

	const iprp = child(r, meta, 'iprp', true);
	const ipco = iprp ? child(r, iprp, 'ipco', false) : undefined;
	if (ipco) {
		for (const property of boxes(r, ipco.payload, ipco.end)) {
			if (property.type === 'colr') {
				const colourType = r.fourcc(property.payload);
				if (colourType === 'prof' || colourType === 'rICC') continue;
			}
			hash.update(r.slice(property.start, property.end - property.start));
		}
	}

	const iref = child(r, meta, 'iref', true);
	if (iref) {
		for (const reference of boxes(r, iref.payload + 4, iref.end)) {
			if (HEIF_IMAGE_REFERENCES.has(reference.type)) hash.update(r.slice(reference.start, reference.end - reference.start));
		}
	}

	const ids = [...locations.keys()].sort((a, b) => a - b);
	let hashedItems = 0;
	for (const id of ids) {
		// Items without an infe entry have no declared type; hash them rather than risk ignoring image data.
		const type = types.get(id) ?? '';
		if (HEIF_METADATA_ITEMS.has(type)) continue;
		const location = locations.get(id)!;
		// External data references and item-offset construction (method 2) are not supported.
		if (location.dataReferenceIndex !== 0) return false;
		hash.update(u32Bytes(id));
		hash.update(type.padEnd(4, '\0'));
		for (const extent of location.extents) {
			if (location.constructionMethod === 0) {
				// Length 0 means "to the end of the file".
				const length = extent.length === 0 ? bytes.length - extent.offset : extent.length;
				hash.update(r.slice(extent.offset, length));
			} else if (location.constructionMethod === 1) {
				if (!idat) return false;
				const base = idat.payload;
				const available = idat.end - base;
				const length = extent.length === 0 ? available - extent.offset : extent.length;
				if (extent.offset + length > available) return false;
				hash.update(r.slice(base + extent.offset, length));
			} else {
				return false;
			}
		}
		hashedItems++;
	}
	return hashedItems > 0;
}

/** Map item id -> item type from `infe` entries (versions 2 and 3 carry a type; 0 and 1 do not). */
function parseIinf(r: Reader, iinf: Box): Map<number, string> {
	const version = r.u8(iinf.payload);
	const entriesStart = iinf.payload + 4 + (version === 0 ? 2 : 4);
	const types = new Map<number, string>();
	for (const infe of boxes(r, entriesStart, iinf.end)) {
		if (infe.type !== 'infe') continue;
		const infeVersion = r.u8(infe.payload);
		const p = infe.payload + 4;
		if (infeVersion === 2) types.set(r.u16be(p), r.fourcc(p + 4));
		else if (infeVersion === 3) types.set(r.u32be(p), r.fourcc(p + 6));
		else types.set(r.u16be(p), '');
	}
	return types;
}

/** Parse `iloc` versions 0-2 into item id -> location. */
function parseIloc(r: Reader, iloc: Box): Map<number, Location> {
	const version = r.u8(iloc.payload);
	if (version > 2) throw new RangeError(`iloc version ${version}`);
	let p = iloc.payload + 4;
	const sizes1 = r.u8(p);
	const sizes2 = r.u8(p + 1);
	p += 2;
	const offsetSize = sizes1 >> 4;
	const lengthSize = sizes1 & 0x0f;
	const baseOffsetSize = sizes2 >> 4;
	// In version 0 the low nibble is reserved; index_size exists only in versions 1 and 2.
	const indexSize = version === 0 ? 0 : sizes2 & 0x0f;
	const itemCount = version < 2 ? r.u16be(p) : r.u32be(p);
	p += version < 2 ? 2 : 4;
	const locations = new Map<number, Location>();
	// With all field sizes zero an extent occupies no bytes, so a fuzzed count could loop for billions of rounds;
	// no real file has more extents than its iloc box has bytes.
	let extentBudget = iloc.end - iloc.payload;
	for (let i = 0; i < itemCount; i++) {
		const id = version < 2 ? r.u16be(p) : r.u32be(p);
		p += version < 2 ? 2 : 4;
		let constructionMethod = 0;
		if (version > 0) {
			constructionMethod = r.u16be(p) & 0x0f;
			p += 2;
		}
		const dataReferenceIndex = r.u16be(p);
		p += 2;
		const baseOffset = r.uintBe(p, baseOffsetSize);
		p += baseOffsetSize;
		const extentCount = r.u16be(p);
		p += 2;
		extentBudget -= extentCount;
		if (extentBudget < 0) throw new RangeError('too many iloc extents');
		const extents: Extent[] = [];
		for (let e = 0; e < extentCount; e++) {
			p += indexSize;
			const offset = r.uintBe(p, offsetSize);
			p += offsetSize;
			const length = r.uintBe(p, lengthSize);
			p += lengthSize;
			extents.push({offset: baseOffset + offset, length});
		}
		if (p > iloc.end) throw new RangeError('iloc overruns its box');
		locations.set(id, {constructionMethod, dataReferenceIndex, extents});
	}
	return locations;
}

/**
 * Why a HEIF/AVIF file is cut short, or undefined when every item's data lies within it. libheif decodes a grid
 * image whose later tiles are missing without a word (grey tiles), so a HEIC truncated mid-download would otherwise
 * be catalogued as a sound photo. The `meta` box says where each item's bytes are (`iloc`); an extent that ends past
 * the last byte means the file is truncated. Files this parser cannot follow are left to the decoder. Never throws.
 */
export function heifTruncation(bytes: Uint8Array): string | undefined {
	try {
		const r = new Reader(bytes);
		// Walk the top-level boxes leniently: the last one (mdat, usually) is the one a truncation cuts.
		let meta: Box | undefined;
		let overrun: string | undefined;
		let p = 0;
		while (p + 8 <= bytes.length) {
			const {type, size, header} = boxHeader(r, p, bytes.length);
			if (size < header) return undefined;
			if (type === 'meta') {
				if (p + size > bytes.length) return `truncated file: its metadata box ends at byte ${p + size}, past the end of the file (${bytes.length} bytes)`;
				meta = {type, start: p, payload: p + header, end: p + size};
			}
			if (p + size > bytes.length) overrun = `truncated file: its ${type.trim() || 'last'} box ends at byte ${p + size}, past the end of the file (${bytes.length} bytes)`;
			p += size;
		}
		if (!meta) return undefined;
		const iloc = child(r, meta, 'iloc', true);
		if (!iloc) return overrun;
		const iinf = child(r, meta, 'iinf', true);
		const types = iinf ? parseIinf(r, iinf) : new Map<number, string>();
		for (const [id, location] of parseIloc(r, iloc)) {
			if (location.constructionMethod !== 0 || location.dataReferenceIndex !== 0) continue;
			for (const extent of location.extents) {
				const end = extent.offset + extent.length;
				if (extent.offset > bytes.length || end > bytes.length) {
					const type = types.get(id)?.trim();
					return `truncated file: the data of item ${id}${type ? ` (${type})` : ''} ends at byte ${end}, past the end of the file (${bytes.length} bytes)`;
				}
			}
		}
		// Every item is whole, but the file ends inside a box (Samsung's trailing sefd, say): still cut short.
		return overrun;
	} catch {
		return undefined;
	}
}
