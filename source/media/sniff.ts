/**
 * Content-based format detection. The file extension is only a tie-breaker for TIFF-based camera raws, whose
 * containers are indistinguishable by magic bytes; it never overrides a clear signature.
 */
import type {Format, MediaKind} from '../core/types.js';

/** Result of sniffing: the container format and what the library does with it. */
export type Sniffed = {format: Format; kind: MediaKind};

/** How many leading bytes callers should pass to {@link sniffFormat}. */
export const SNIFF_BYTES = 4096;

const KIND_OF: Record<Format, MediaKind> = {
	jpeg: 'image',
	png: 'image',
	gif: 'image',
	webp: 'image',
	tiff: 'image',
	bmp: 'image',
	avif: 'image',
	heic: 'image',
	dng: 'raw',
	cr2: 'raw',
	cr3: 'raw',
	nef: 'raw',
	arw: 'raw',
	orf: 'raw',
	rw2: 'raw',
	raf: 'raw',
	raw: 'raw',
	mov: 'video',
	mp4: 'video',
	xmp: 'sidecar',
	html: 'other',
	text: 'other',
	empty: 'other',
	unknown: 'other',
};

// HEIF brands for HEVC-coded images and image sequences, plus Apple's/Canon's variants.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
// Generic HEIF structural brands: they say "this is HEIF", not which codec is inside.
const HEIF_GENERIC_BRANDS = new Set(['mif1', 'msf1', 'mif2', 'miaf']);
const MP4_BRANDS = new Set([
	'isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9',
	'mp41', 'mp42', 'mp71', 'M4V ', 'M4VH', 'M4VP', 'avc1', 'f4v ', 'f4p ',
	'dash', 'mmp4', 'MSNV', 'NDAS', 'XAVC', 'MQT ', 'hvc1', 'av01',
]);

// Extensions of TIFF-container raws; the values are the `Format` we report for them.
const TIFF_RAW_EXTENSIONS: Record<string, Format> = {
	dng: 'dng',
	nef: 'nef',
	nrw: 'raw',
	arw: 'arw',
	srf: 'raw',
	sr2: 'raw',
	cr2: 'cr2',
	orf: 'orf',
	rw2: 'rw2',
	rwl: 'raw',
	pef: 'raw',
	srw: 'raw',
	'3fr': 'raw',
	erf: 'raw',
	kdc: 'raw',
	dcr: 'raw',
	dcs: 'raw',
	mef: 'raw',
	mos: 'raw',
	iiq: 'raw',
	raw: 'raw',
	fff: 'raw',
	gpr: 'raw',
};

const TAG_DNG_VERSION = 0xc612;

/**
 * Detect a file's format from its first bytes.
 *
 * @param head The first {@link SNIFF_BYTES} bytes of the file (fewer for short files; zero length means an empty file).
 * @param extensionHint The file extension, with or without the leading dot, any case. Only used to tell TIFF-based
 * raws (NEF, ARW, ...) apart from each other and from plain TIFF; magic bytes always win.
 */
export function sniffFormat(head: Uint8Array, extensionHint?: string): Sniffed {
	const format = detect(head, normaliseExtension(extensionHint));
	return {format, kind: KIND_OF[format]};
}

function detect(head: Uint8Array, extension: string): Format {
	if (head.length === 0) return 'empty';

	if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
	if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'webp';
	if (ascii(head, 0, 15) === 'FUJIFILMCCD-RAW') return 'raf';
	if (ascii(head, 4, 4) === 'ftyp') return isobmff(head);
	if (isQuickTimeWithoutFtyp(head)) return 'mov';

	const tiff = tiffLike(head, extension);
	if (tiff) return tiff;

	if (isBmp(head)) return 'bmp';
	// Other raw containers with their own signatures; `Format` has no dedicated value for them.
	if (ascii(head, 0, 4) === 'FOVb' || ascii(head, 0, 4) === '\0MRM') return 'raw';
	if (ascii(head, 0, 2) === 'II' && ascii(head, 6, 8) === 'HEAPCCDR') return 'raw';

	return textual(head);
}

function normaliseExtension(hint: string | undefined): string {
	if (!hint) return '';
	const dot = hint.lastIndexOf('.');
	return (dot >= 0 ? hint.slice(dot + 1) : hint).toLowerCase();
}

function startsWith(head: Uint8Array, bytes: number[]): boolean {
	if (head.length < bytes.length) return false;
	return bytes.every((b, i) => head[i] === b);
}

/** Latin-1 view of `length` bytes at `offset` (shorter if the buffer ends). */
function ascii(head: Uint8Array, offset: number, length: number): string {
	const end = Math.min(head.length, offset + length);
	let s = '';
	for (let i = offset; i < end; i++) s += String.fromCharCode(head[i]);
	return s;
}

function u32be(head: Uint8Array, offset: number): number {
	return ((head[offset] << 24) >>> 0) + (head[offset + 1] << 16) + (head[offset + 2] << 8) + head[offset + 3];
}

/** Classify an ISO base media file by its `ftyp` major and compatible brands. */
function isobmff(head: Uint8Array): Format {
	const boxSize = u32be(head, 0);
	const major = ascii(head, 8, 4);
	const compatible: string[] = [];
	// Compatible brands follow major brand + minor version; a sane ftyp is short, so clamp to the head.
	const end = Math.min(head.length, boxSize >= 16 ? boxSize : 16);
	for (let p = 16; p + 4 <= end; p += 4) compatible.push(ascii(head, p, 4));
	const all = new Set([major, ...compatible]);
	const hasHeic = [...all].some((b) => HEIC_BRANDS.has(b));
	const hasAvif = [...all].some((b) => AVIF_BRANDS.has(b));

	// A specific major brand is authoritative.
	if (HEIC_BRANDS.has(major)) return 'heic';
	if (AVIF_BRANDS.has(major)) return 'avif';
	if (major === 'crx ') return 'cr3';
	if (major === 'qt  ') return 'mov';

	// A generic major brand (mif1, isom, ...) defers to the compatible list. AVIF files written by some encoders
	// carry major `mif1` with `avif` only among the compatible brands, so the codec brand decides.
	if (all.has('crx ')) return 'cr3';
	if (hasAvif && !hasHeic) return 'avif';
	if (hasHeic) return 'heic';
	if ([...all].some((b) => HEIF_GENERIC_BRANDS.has(b))) return 'heic';
	if (all.has('qt  ')) return 'mov';
	if ([...all].some((b) => MP4_BRANDS.has(b) || b.startsWith('3gp') || b.startsWith('3g2'))) return 'mp4';
	return 'unknown';
}

/** Old QuickTime movies have no `ftyp`; they start directly with a `moov`, `mdat`, `wide` or `pnot` atom. */
function isQuickTimeWithoutFtyp(head: Uint8Array): boolean {
	if (head.length < 8) return false;
	const type = ascii(head, 4, 4);
	if (type !== 'moov' && type !== 'mdat' && type !== 'wide' && type !== 'pnot') return false;
	const size = u32be(head, 0);
	// Size 1 means a 64-bit size follows; otherwise a real atom is at least its own header long.
	return size === 1 || size >= 8;
}

/** TIFF and the TIFF-derived raws. Returns undefined when the head is not TIFF-shaped at all. */
function tiffLike(head: Uint8Array, extension: string): Format | undefined {
	const magic = ascii(head, 0, 4);
	// Olympus and Panasonic changed the TIFF magic number, which identifies them without the extension.
	if (magic === 'IIRO' || magic === 'IIRS' || magic === 'MMOR') return 'orf';
	if (magic === 'IIU\0') return extension === 'rwl' ? 'raw' : 'rw2';

	const little = magic === 'II*\0';
	const big = magic === 'MM\0*';
	if (!little && !big) {
		// BigTIFF: no raw format uses it, and its IFD layout differs, so it is simply TIFF.
		if (magic === 'II+\0' || magic === 'MM\0+') return 'tiff';
		return undefined;
	}
	if (ascii(head, 8, 2) === 'CR') return 'cr2';
	if (hasDngVersionTag(head, little)) return 'dng';
	const byExtension = TIFF_RAW_EXTENSIONS[extension];
	// A DNG extension on a TIFF whose first IFD lies beyond the head (or lacks the tag) is still trusted:
	// the container is right, and only the raw-specific tag could not be confirmed.
	return byExtension ?? 'tiff';
}

/** Scan IFD0 for the DNGVersion tag, which every DNG carries there. */
function hasDngVersionTag(head: Uint8Array, little: boolean): boolean {
	const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
	if (head.length < 8) return false;
	const ifd = view.getUint32(4, little);
	if (ifd < 8 || ifd + 2 > head.length) return false;
	const count = view.getUint16(ifd, little);
	for (let i = 0; i < count; i++) {
		const entry = ifd + 2 + i * 12;
		if (entry + 2 > head.length) return false;
		const tag = view.getUint16(entry, little);
		if (tag === TAG_DNG_VERSION) return true;
		// IFD entries are sorted by tag, so once past 0xC612 it cannot appear.
		if (tag > TAG_DNG_VERSION) return false;
	}
	return false;
}

/** "BM" alone is too weak (text can start with it), so also require a known DIB header size. */
function isBmp(head: Uint8Array): boolean {
	if (head.length < 18 || head[0] !== 0x42 || head[1] !== 0x4d) return false;
	const dibSize = head[14] | (head[15] << 8) | (head[16] << 16) | (head[17] << 24);
	return [12, 16, 40, 52, 56, 64, 108, 124].includes(dibSize);
}

/** XMP sidecar, HTML page, other text, or unknown binary. */
function textual(head: Uint8Array): Format {
	if (!looksLikeText(head)) return 'unknown';
	const start = skipBomAndSpace(head);
	const prefix = ascii(head, start, 64).toLowerCase();
	if (prefix.startsWith('<?xpacket') || prefix.startsWith('<x:xmpmeta')) return 'xmp';
	// Sidecars written by some tools open with an XML declaration before the xmpmeta element.
	if (prefix.startsWith('<?xml') && ascii(head, start, head.length).includes('<x:xmpmeta')) return 'xmp';
	if (prefix.startsWith('<!doctype html') || prefix.startsWith('<html')) return 'html';
	return 'text';
}

function skipBomAndSpace(head: Uint8Array): number {
	let p = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
	while (p < head.length && (head[p] === 0x20 || head[p] === 0x09 || head[p] === 0x0a || head[p] === 0x0d || head[p] === 0x0c)) p++;
	return p;
}

/**
 * Mostly printable: no NUL, under 2% control characters, and either valid UTF-8 (a sequence cut off by the end of
 * the head is fine) or only a little non-ASCII, which allows Latin-1 text.
 */
function looksLikeText(head: Uint8Array): boolean {
	let control = 0;
	let high = 0;
	for (const b of head) {
		if (b === 0) return false;
		if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
		else if (b === 0x7f) control++;
		else if (b >= 0x80) high++;
	}
	if (control > head.length * 0.02) return false;
	return high === 0 || isUtf8(head) || high <= head.length * 0.1;
}

function isUtf8(bytes: Uint8Array): boolean {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i];
		const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
		if (need < 0) return false;
		for (let k = 1; k <= need; k++) {
			// The head is a prefix of the file: a multi-byte character may be cut off at its end.
			if (i + k >= bytes.length) return true;
			if ((bytes[i + k] & 0xc0) !== 0x80) return false;
		}
		i += need + 1;
	}
	return true;
}
