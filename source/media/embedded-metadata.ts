import {createHash} from 'node:crypto';
import type {PhotoMetadata} from '../core/types.js';
import {metadataFromTags} from '../adapters/exif.js';

/**
 * Reads Curate's metadata from the raw EXIF / XMP / IPTC blocks sharp's `metadata()` already hands us, so a scan
 * does not pay exiftool's Perl + IPC cost (~8–10 ms per 12 MP JPEG) for every photo.
 *
 * The parsers build the same tag record exiftool's `readRaw` returns for the tags Curate asks for (including the
 * `-use MWG` composites exiftool-vendored turns on by default, the SubSec/GPS composites and exiftool's JSON number
 * typing), then hand it to `metadataFromTags`: one mapping, so the two paths cannot drift apart.
 *
 * Not covered (exiftool reads them, sharp does not expose or they need maker databases): maker-note lens IDs
 * (LensID/Lens composites), QuickTime dates, IPTC/EXIF stored outside the blocks sharp returns (e.g. PNG text
 * chunks, TIFF IFD0).
 */

type Tags = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// Value typing as exiftool's JSON output does it: number-looking strings are unquoted, so JSON.parse makes them
// numbers ("1.00" → 1), and "true"/"false" become booleans. metadataFromTags then sees exactly what readRaw gives.

const jsonNumber = /^-?(\d|[1-9]\d{1,14})(\.\d{1,16})?(e[-+]?\d{1,3})?$/i;

function jsonTyped(value: string): string | number | boolean {
	if (/^(true|false)$/i.test(value)) {
		return value.toLowerCase() === 'true';
	}

	// exiftool drops NULs from JSON strings.
	// Trailing padding does not stop exiftool printing a number ("1.00        " from a Casio comes out as 1).
	const cleaned = value.replaceAll('\0', '');
	return jsonNumber.test(cleaned.trimEnd()) ? Number(cleaned.trimEnd()) : cleaned;
}

const utf8 = new TextDecoder('utf-8');

// ---------------------------------------------------------------------------------------------------------------
// TIFF / EXIF.

type Entry = {type: number; count: number; data: Buffer};
type Ifd = Map<number, Entry>;

const typeSizes: Record<number, number> = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4};

class Tiff {
	readonly little: boolean;

	constructor(readonly buf: Buffer, readonly base: number) {
		this.little = buf[base] === 0x49;
	}

	u16(offset: number): number {
		return this.little ? this.buf.readUInt16LE(offset) : this.buf.readUInt16BE(offset);
	}

	u32(offset: number): number {
		return this.little ? this.buf.readUInt32LE(offset) : this.buf.readUInt32BE(offset);
	}

	/** Reads one IFD at a TIFF-relative offset; undefined when it lies outside the buffer. */
	ifd(relative: number, seen: Set<number>): Ifd | undefined {
		const start = this.base + relative;
		// A pointer back to an IFD already read would loop forever on crafted files.
		if (relative <= 0 || seen.has(start) || start + 2 > this.buf.length) {
			return undefined;
		}

		seen.add(start);
		const entries: Ifd = new Map();
		const count = this.u16(start);
		for (let i = 0; i < count; i++) {
			const at = start + 2 + i * 12;
			if (at + 12 > this.buf.length) {
				break; // Truncated IFD: keep what was read.
			}

			const tag = this.u16(at);
			const type = this.u16(at + 2);
			const n = this.u32(at + 4);
			const size = (typeSizes[type] ?? 0) * n;
			if (size === 0 || entries.has(tag)) {
				continue;
			}

			const dataAt = size <= 4 ? at + 8 : this.base + this.u32(at + 8);
			if (dataAt < 0 || dataAt + size > this.buf.length) {
				continue;
			}

			entries.set(tag, {type, count: n, data: this.buf.subarray(dataAt, dataAt + size)});
		}

		return entries;
	}

	numbers(entry: Entry | undefined): number[] {
		if (!entry) {
			return [];
		}

		const {type, count, data} = entry;
		const le = this.little;
		const out: number[] = [];
		for (let i = 0; i < count; i++) {
			switch (type) {
				case 1: case 7: { out.push(data.readUInt8(i)); break; }
				case 6: { out.push(data.readInt8(i)); break; }
				case 3: { out.push(le ? data.readUInt16LE(i * 2) : data.readUInt16BE(i * 2)); break; }
				case 8: { out.push(le ? data.readInt16LE(i * 2) : data.readInt16BE(i * 2)); break; }
				case 4: case 13: { out.push(le ? data.readUInt32LE(i * 4) : data.readUInt32BE(i * 4)); break; }
				case 9: { out.push(le ? data.readInt32LE(i * 4) : data.readInt32BE(i * 4)); break; }
				case 5: case 10: {
					const read = type === 5 ? (o: number) => (le ? data.readUInt32LE(o) : data.readUInt32BE(o)) : (o: number) => (le ? data.readInt32LE(o) : data.readInt32BE(o));
					const num = read(i * 8);
					const den = read(i * 8 + 4);
					// exiftool prints 0/0 as "undef" and n/0 as "inf": neither is a usable number.
					out.push(den === 0 ? Number.NaN : num / den);
					break;
				}

				case 11: { out.push(le ? data.readFloatLE(i * 4) : data.readFloatBE(i * 4)); break; }
				case 12: { out.push(le ? data.readDoubleLE(i * 8) : data.readDoubleBE(i * 8)); break; }
				default: { return out; }
			}
		}

		return out;
	}

	/** A string value the way exiftool reads EXIF "string" format: cut at the first NUL, decoded as UTF-8 (MWG). */
	string(entry: Entry | undefined): string | undefined {
		if (!entry || ![1, 2, 7].includes(entry.type)) {
			return undefined;
		}

		const nul = entry.data.indexOf(0);
		return utf8.decode(nul === -1 ? entry.data : entry.data.subarray(0, nul));
	}
}

type ExifData = {
	ifd0: Ifd;
	ifd1: Ifd | undefined;
	exif: Ifd;
	gps: Ifd | undefined;
	tiff: Tiff;
	apple: {burstId?: string; contentId?: string};
};

function readExif(raw: Buffer): ExifData | undefined {
	let base = 0;
	if (raw.length >= 6 && raw.toString('latin1', 0, 6) === 'Exif\0\0') {
		base = 6;
	}

	if (raw.length < base + 8) {
		return undefined;
	}

	const order = raw.toString('latin1', base, base + 2);
	if (order !== 'II' && order !== 'MM') {
		return undefined;
	}

	const tiff = new Tiff(raw, base);
	if (tiff.u16(base + 2) !== 42) {
		return undefined;
	}

	const seen = new Set<number>();
	const ifd0 = tiff.ifd(tiff.u32(base + 4), seen);
	if (!ifd0) {
		return undefined;
	}

	// IFD1 (the thumbnail's) tags have priority 0 in exiftool: they only stand in for tags IFD0 lacks.
	const ifd0End = base + tiff.u32(base + 4) + 2 + tiff.u16(base + tiff.u32(base + 4)) * 12;
	const ifd1 = ifd0End + 4 <= raw.length ? tiff.ifd(tiff.u32(ifd0End), seen) : undefined;
	const pointer = (ifd: Ifd, tag: number) => tiff.numbers(ifd.get(tag))[0];
	const exifAt = pointer(ifd0, 0x8769);
	const gpsAt = pointer(ifd0, 0x8825);
	const exif = (exifAt === undefined ? undefined : tiff.ifd(exifAt, seen)) ?? new Map<number, Entry>();
	const gps = gpsAt === undefined ? undefined : tiff.ifd(gpsAt, seen);
	return {ifd0, ifd1, exif, gps, tiff, apple: readAppleMakerNote(exif.get(0x927c))};
}

/** Live Photo and burst ids from Apple's maker note (its own big-endian TIFF-like block, offsets from its start). */
function readAppleMakerNote(entry: Entry | undefined): {burstId?: string; contentId?: string} {
	const data = entry?.data;
	if (!data || data.length < 16 || data.toString('latin1', 0, 10) !== 'Apple iOS\0' || data.toString('latin1', 12, 14) !== 'MM') {
		return {};
	}

	// The IFD follows the 14-byte header; its value offsets count from the maker note's first byte, and the note is
	// big-endian ('A' is not 'I', so Tiff reads it that way).
	const ifd = new Tiff(data, 0);
	const entries = ifd.ifd(14, new Set());
	if (!entries) {
		return {};
	}

	const result: {burstId?: string; contentId?: string} = {};
	const burst = ifd.string(entries.get(0x000b));
	const content = ifd.string(entries.get(0x0011));
	if (burst !== undefined) {
		result.burstId = burst;
	}

	if (content !== undefined) {
		result.contentId = content;
	}

	return result;
}

// ---------------------------------------------------------------------------------------------------------------
// XMP: a small targeted reader (regexes over the packet) rather than a DOM; properties are found by namespace URI,
// not prefix, since old packets use other prefixes.

const ns = {
	dc: 'http://purl.org/dc/elements/1.1/',
	xmp: 'http://ns.adobe.com/xap/1.0/',
	photoshop: 'http://ns.adobe.com/photoshop/1.0/',
	exif: 'http://ns.adobe.com/exif/1.0/',
	tiff: 'http://ns.adobe.com/tiff/1.0/',
	exifEX: 'http://cipa.jp/exif/1.0/',
	aux: 'http://ns.adobe.com/exif/1.0/aux/',
	lr: 'http://ns.adobe.com/lightroom/1.0/',
} as const;

function decodeEntities(text: string): string {
	return text.replaceAll(/&(#x[\da-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
		switch (entity.toLowerCase()) {
			case 'amp': { return '&'; }
			case 'lt': { return '<'; }
			case 'gt': { return '>'; }
			case 'quot': { return '"'; }
			case 'apos': { return '\''; }
			default: {
				const code = entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
				return code > 0 && code <= 0x10_ffff ? String.fromCodePoint(code) : '';
			}
		}
	});
}

const escapeRegex = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

class Xmp {
	private readonly prefixes = new Map<string, string[]>();

	constructor(private readonly xml: string) {
		for (const match of xml.matchAll(/xmlns:([\w.-]+)\s*=\s*(["'])(.*?)\2/g)) {
			const list = this.prefixes.get(match[3]!) ?? [];
			if (!list.includes(match[1]!)) {
				list.push(match[1]!);
			}

			this.prefixes.set(match[3]!, list);
		}
	}

	/** Every item of a property (one for simple values, all rdf:li for bags, seqs and alternatives). */
	private raw(uri: string, name: string): Array<{value: string; lang?: string}> | undefined {
		for (const prefix of this.prefixes.get(uri) ?? []) {
			const qname = escapeRegex(`${prefix}:${name}`);
			const attribute = new RegExp(`\\s${qname}\\s*=\\s*(["'])([^]*?)\\1`).exec(this.xml);
			if (attribute) {
				return [{value: decodeEntities(attribute[2]!)}];
			}

			const element = new RegExp(`<${qname}(\\s[^>]*)?(?:/>|>([^]*?)</${qname}\\s*>)`).exec(this.xml);
			if (element) {
				const body = element[2] ?? '';
				if (/<rdf:li\b/.test(body)) {
					return [...body.matchAll(/<rdf:li\b([^>]*?)(?:\/>|>([^]*?)<\/rdf:li\s*>)/g)].map(li => {
						const lang = /xml:lang\s*=\s*(["'])(.*?)\1/.exec(li[1] ?? '')?.[2];
						return {value: decodeEntities(li[2] ?? ''), ...(lang === undefined ? {} : {lang})};
					});
				}

				// rdf:resource / rdf:value forms are not used by the properties read here.
				return /</.test(body) ? undefined : [{value: decodeEntities(body)}];
			}
		}

		return undefined;
	}

	simple(uri: string, name: string): string | undefined {
		return this.raw(uri, name)?.[0]?.value;
	}

	list(uri: string, name: string): string[] | undefined {
		return this.raw(uri, name)?.map(item => item.value);
	}

	/** exiftool names the x-default entry of a language alternative after the plain tag. */
	langAlt(uri: string, name: string): string | undefined {
		const items = this.raw(uri, name);
		if (!items) {
			return undefined;
		}

		return (items.find(item => item.lang?.toLowerCase() === 'x-default') ?? items.find(item => item.lang === undefined))?.value;
	}
}

/** exiftool's ConvertXMPDate: ISO 8601 back to EXIF's "YYYY:MM:DD HH:MM[:SS][zone]". */
function xmpDate(value: string | undefined): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})(:\d{2})?(\S*)$/.exec(value);
	if (match) {
		return `${match[1]}:${match[2]}:${match[3]} ${match[4]}${match[5] ?? ''}${match[6]}`;
	}

	return /^\d{4}(-\d{2}){0,2}/.test(value) ? value.replaceAll('-', ':') : value;
}

// ---------------------------------------------------------------------------------------------------------------
// IPTC (IIM inside Photoshop image resources).

type Iptc = {records: Map<number, string[]>; current?: string; stored?: string};

function readIptc(raw: Buffer): Iptc | undefined {
	let block: Buffer | undefined;
	let stored: string | undefined;
	let at = raw.toString('latin1', 0, 14) === 'Photoshop 3.0\0' ? 14 : 0;
	// Walk the 8BIM resources: 0x0404 is the IPTC block, 0x0425 the digest Photoshop stored when it last synced XMP.
	while (at + 12 <= raw.length && raw.toString('latin1', at, at + 4) === '8BIM') {
		const id = raw.readUInt16BE(at + 4);
		const nameLength = raw[at + 6]!;
		let p = at + 6 + 1 + nameLength;
		p += (p - at) % 2; // The Pascal name is padded to an even length.
		if (p + 4 > raw.length) {
			break;
		}

		const size = raw.readUInt32BE(p);
		const start = p + 4;
		const end = Math.min(raw.length, start + size);
		if (id === 0x0404 && !block) {
			block = raw.subarray(start, end);
		} else if (id === 0x0425 && end - start === 16) {
			stored = raw.toString('hex', start, end);
		}

		at = start + size + (size % 2);
	}

	// Some writers hand over bare IIM without the Photoshop wrapper.
	if (!block && raw[0] === 0x1c) {
		block = raw;
	}

	if (!block) {
		return undefined;
	}

	const fields: Array<[number, Buffer]> = [];
	let utf8Charset = false;
	for (let p = 0; p + 5 <= block.length && block[p] === 0x1c;) {
		const record = block[p + 1]!;
		const dataset = block[p + 2]!;
		let length = block.readUInt16BE(p + 3);
		p += 5;
		if (length & 0x80_00) {
			// Extended length: the low bits say how many bytes hold the real length.
			const bytes = length & 0x7f_ff;
			if (bytes > 4 || p + bytes > block.length) {
				break;
			}

			length = 0;
			for (let i = 0; i < bytes; i++) {
				length = length * 256 + block[p + i]!;
			}

			p += bytes;
		}

		const value = block.subarray(p, Math.min(block.length, p + length));
		p += length;
		if (record === 1 && dataset === 90) {
			utf8Charset = value.toString('latin1') === '\u001B%G';
		} else if (record === 2) {
			fields.push([dataset, value]);
		}
	}

	const records = new Map<number, string[]>();
	for (const [dataset, value] of fields) {
		// exiftool reads IPTC as Latin-1 unless the envelope declares UTF-8.
		const text = utf8Charset ? utf8.decode(value) : value.toString('latin1');
		records.set(dataset, [...(records.get(dataset) ?? []), text]);
	}

	const current = stored === undefined ? undefined : createHash('md5').update(block).digest('hex');
	return {records, ...(current === undefined ? {} : {current}), ...(stored === undefined ? {} : {stored})};
}

// ---------------------------------------------------------------------------------------------------------------
// Assembly into exiftool-shaped tags.

/** exiftool's GPS::ConvertTimeStamp: h m s rationals → "HH:MM:SS[.fraction]". */
function gpsTime(parts: number[]): string {
	const [h = 0, m = 0, s = 0] = parts.map(n => (Number.isFinite(n) ? n : 0));
	let f = (h * 60 + m) * 60 + s;
	let hours = Math.trunc(f / 3600);
	f -= hours * 3600;
	let minutes = Math.trunc(f / 60);
	f -= minutes * 60;
	let ss = f.toFixed(9).padStart(12, '0');
	if (Number(ss) >= 60) {
		ss = '00';
		if (++minutes >= 60) {
			minutes -= 60;
			hours++;
		}
	} else {
		ss = ss.replace(/\.?0+$/, '');
	}

	return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${ss}`;
}

/** exiftool's ToDegrees on d/m/s rationals; '' when nothing numeric (exiftool's output for "undef" rationals). */
function degrees(parts: number[]): number | string {
	// exiftool gives up on the whole coordinate when any part is an undefined (x/0) rational.
	if (parts.length === 0 || parts.some(n => !Number.isFinite(n))) {
		return '';
	}

	const [d = 0, m = 0, s = 0] = parts.map(n => (Number.isFinite(n) ? n : 0));
	return d + (m + s / 60) / 60;
}

/** exiftool's subSecConv RawConv: date + ".subsec" + offset, or undefined when neither extra exists. */
function subSec(date: string | undefined, sub: string | undefined, offset: string | undefined): string | undefined {
	if (date === undefined) {
		return undefined;
	}

	let v: string | undefined;
	const subMatch = sub === undefined ? undefined : /^(\d+)/.exec(sub);
	if (subMatch) {
		const replaced = date.replace(/( \d{2}:\d{2}:\d{2})(?!\.\d+)/, `$1.${subMatch[1]}`);
		v = replaced === date ? undefined : replaced;
	}

	const offsetMatch = offset === undefined ? undefined : /^([-+])(\d{1,2}):(\d{2})/.exec(offset);
	if (offsetMatch && !/[-+]/.test(date)) {
		v = `${v ?? date}${offsetMatch[1]}${offsetMatch[2]!.padStart(2, '0')}:${offsetMatch[3]}`;
	}

	return v;
}

const blank = (value: string | undefined) => value === undefined || /^[: ]*$/.test(value);

/** IPTC "YYYYMMDD" → "YYYY:MM:DD" and "HHMMSS±HHMM" → "HH:MM:SS±HH:MM", as exiftool converts them. */
function iptcDate(value: string | undefined): string | undefined {
	const match = value === undefined ? undefined : /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
	return match ? `${match[1]}:${match[2]}:${match[3]}` : value;
}

function iptcTime(value: string | undefined): string | undefined {
	const match = value === undefined ? undefined : /^(\d{2})(\d{2})(\d{2})([-+]\d{2})(\d{2})$/.exec(value.trim());
	return match ? `${match[1]}:${match[2]}:${match[3]}${match[4]}:${match[5]}` : value;
}

/** MWG's date rule: composite, EXIF, XMP (when the IPTC digest allows), then IPTC date + time. */
function mwgDate(subSecValue: string | undefined, exifValue: string | undefined, iptcDay: string | undefined, iptcClock: string | undefined, xmpValue: string | undefined, iptc: Iptc | undefined): string | undefined {
	const current = iptc?.current ?? (iptc ? 'present' : undefined);
	const stored = iptc?.stored;
	const xmpAllowed = current === undefined || (xmpValue !== undefined && (stored === undefined || current === stored));
	if (!(subSecValue !== undefined || exifValue !== undefined || iptcDay || (xmpValue !== undefined && (current === undefined || stored === undefined || current === stored)))) {
		return undefined;
	}

	if (!blank(subSecValue)) {
		return subSecValue;
	}

	if (!blank(exifValue)) {
		return exifValue;
	}

	if (xmpAllowed) {
		return xmpValue;
	}

	return iptcDay ? (iptcClock ? `${iptcDay} ${iptcClock}` : iptcDay) : undefined;
}

/** MWG's "IPTC or XMP" rule for text: XMP unless the IPTC was edited after XMP was synced. */
function mwgText<T>(iptcValue: T | undefined, xmpValue: T | undefined, iptc: Iptc | undefined): T | undefined {
	if (!iptc) {
		return xmpValue;
	}

	if (xmpValue !== undefined && (iptc.stored === undefined || iptc.current === iptc.stored)) {
		return xmpValue;
	}

	// RecoverTruncatedIPTC keeps IPTC, only patching values IPTC's length limits cut; keeping IPTC is close enough.
	return iptcValue ?? xmpValue;
}

function put(tags: Tags, name: string, value: unknown): void {
	if (value === undefined) {
		return;
	}

	tags[name] = Array.isArray(value)
		? (value.length === 1 ? (typeof value[0] === 'string' ? jsonTyped(value[0] as string) : value[0]) : value.map(item => (typeof item === 'string' ? jsonTyped(item) : item)))
		: typeof value === 'string' ? jsonTyped(value) : value;
}

function buildTags(exif: ExifData | undefined, xmp: Xmp | undefined, iptc: Iptc | undefined): Tags {
	const tags: Tags = {};
	const t = exif?.tiff;
	const ifd0: Ifd | undefined = exif ? new Map([...(exif.ifd1 ?? []), ...exif.ifd0]) : undefined;
	const ex = exif?.exif;
	const s = (ifd: Ifd | undefined, tag: number) => (t && ifd ? t.string(ifd.get(tag)) : undefined);
	const n = (ifd: Ifd | undefined, tag: number) => (t && ifd ? t.numbers(ifd.get(tag)) : []);

	// Dates.
	const dto = s(ex, 0x9003);
	const create = s(ex, 0x9004);
	const modify = s(ifd0, 0x0132);
	const subDto = subSec(dto, s(ex, 0x9291), s(ex, 0x9011));
	const subCreate = subSec(create, s(ex, 0x9292), s(ex, 0x9012));
	const subModify = subSec(modify, s(ex, 0x9290), s(ex, 0x9010));
	const record = (dataset: number) => iptc?.records.get(dataset);
	const xmpDateCreated = xmpDate(xmp?.simple(ns.photoshop, 'DateCreated'));
	const xmpCreate = xmpDate(xmp?.simple(ns.xmp, 'CreateDate'));
	const xmpModify = xmpDate(xmp?.simple(ns.xmp, 'ModifyDate'));

	put(tags, 'SubSecDateTimeOriginal', subDto);
	put(tags, 'DateTimeOriginal', mwgDate(subDto, dto, iptcDate(record(55)?.[0]), iptcTime(record(60)?.[0]), xmpDateCreated, iptc)
		?? dto ?? xmpDate(xmp?.simple(ns.exif, 'DateTimeOriginal')));
	put(tags, 'OffsetTimeOriginal', s(ex, 0x9011));
	put(tags, 'CreateDate', mwgDate(subCreate, create, iptcDate(record(62)?.[0]), iptcTime(record(63)?.[0]), xmpCreate, iptc) ?? create ?? xmpCreate);
	put(tags, 'OffsetTimeDigitized', s(ex, 0x9012));
	put(tags, 'DateTimeDigitized', xmpDate(xmp?.simple(ns.exif, 'DateTimeDigitized')));
	put(tags, 'DateCreated', xmpDateCreated ?? iptcDate(record(55)?.[0]));
	let modifyValue: string | undefined;
	if (!blank(subModify)) {
		modifyValue = subModify;
	} else if (!blank(modify)) {
		modifyValue = modify;
	} else if (!iptc || iptc.stored === undefined || iptc.current === iptc.stored) {
		modifyValue = xmpModify;
	}

	put(tags, 'ModifyDate', modifyValue ?? modify ?? xmpModify);

	// GPS: composites need the refs; without them exiftool prints the unsigned value.
	const gps = exif?.gps;
	if (gps && t) {
		const dateStamp = s(gps, 0x1d);
		const timeStamp = gps.get(0x07);
		if (dateStamp !== undefined && timeStamp) {
			put(tags, 'GPSDateTime', `${dateStamp.replaceAll('-', ':')} ${gpsTime(t.numbers(timeStamp))}Z`);
		}

		const coordinate = (valueTag: number, refTag: number, negative: RegExp) => {
			if (!gps.has(valueTag)) {
				return undefined;
			}

			const value = degrees(t.numbers(gps.get(valueTag)));
			const ref = s(gps, refTag);
			return typeof value === 'number' && ref !== undefined && negative.test(ref) ? -value : value;
		};

		const lat = coordinate(0x02, 0x01, /^S/i);
		const lon = coordinate(0x04, 0x03, /^W/i);
		if (lat !== undefined) {
			tags.GPSLatitude = lat;
		}

		if (lon !== undefined) {
			tags.GPSLongitude = lon;
		}

		if (gps.has(0x06)) {
			const alt = t.numbers(gps.get(0x06))[0];
			const ref = gps.has(0x05) ? t.numbers(gps.get(0x05))[0] : undefined;
			tags.GPSAltitude = alt === undefined || !Number.isFinite(alt) ? 'undef' : (ref ? -Math.abs(alt) : alt);
		}
	}

	// Camera and file.
	const orientation = n(ifd0, 0x0112)[0];
	const xmpOrientation = xmp?.simple(ns.tiff, 'Orientation');
	put(tags, 'Orientation', orientation ?? (xmpOrientation === undefined ? undefined : Number.parseInt(xmpOrientation, 10)));
	// XMP tiff/exif/exifEX namespaces have priority 0 in exiftool: they only fill in for missing EXIF.
	put(tags, 'Make', s(ifd0, 0x010f) ?? xmp?.simple(ns.tiff, 'Make'));
	put(tags, 'Model', s(ifd0, 0x0110) ?? xmp?.simple(ns.tiff, 'Model'));
	put(tags, 'Software', s(ifd0, 0x0131) ?? xmp?.simple(ns.tiff, 'Software'));
	put(tags, 'LensModel', s(ex, 0xa434) ?? xmp?.simple(ns.exifEX, 'LensModel'));
	put(tags, 'Lens', xmp?.simple(ns.aux, 'Lens'));

	// Words.
	const subject = xmp?.list(ns.dc, 'subject');
	put(tags, 'Keywords', mwgText(record(25), subject, iptc));
	put(tags, 'Subject', subject);
	put(tags, 'HierarchicalSubject', xmp?.list(ns.lr, 'hierarchicalSubject'));
	const xmpRating = xmp?.simple(ns.xmp, 'Rating');
	put(tags, 'Rating', xmpRating ?? n(ifd0, 0x4746)[0]);
	put(tags, 'Title', xmp?.langAlt(ns.dc, 'title'));
	put(tags, 'ObjectName', record(5)?.[0]);
	const imageDescription = s(ifd0, 0x010e);
	const xmpDescription = xmp?.langAlt(ns.dc, 'description');
	put(tags, 'ImageDescription', imageDescription);
	put(tags, 'Description', imageDescription !== undefined && !/^ *$/.test(imageDescription) ? imageDescription : mwgText(record(120)?.[0], xmpDescription, iptc));
	put(tags, 'Caption-Abstract', record(120)?.[0]);

	// Apple.
	put(tags, 'ContentIdentifier', exif?.apple.contentId);
	put(tags, 'BurstUUID', exif?.apple.burstId);
	return tags;
}

/**
 * Curate's metadata from the raw blocks sharp's `metadata()` returns (`exif`, `xmp`, `iptc`), matching what
 * `metadataFromTags(exiftool readRaw)` gives for the same file. Width, height and duration are left to the decoder.
 * Never throws: damaged blocks yield whatever could be read.
 */
export function readEmbeddedMetadata(parts: {exif?: Buffer | undefined; xmp?: Buffer | undefined; iptc?: Buffer | undefined}): PhotoMetadata {
	let exif: ExifData | undefined;
	let xmp: Xmp | undefined;
	let iptc: Iptc | undefined;
	try {
		exif = parts.exif ? readExif(parts.exif) : undefined;
	} catch {}

	try {
		xmp = parts.xmp ? new Xmp(utf8.decode(parts.xmp)) : undefined;
	} catch {}

	try {
		iptc = parts.iptc ? readIptc(parts.iptc) : undefined;
	} catch {}

	let tags: Tags = {};
	try {
		tags = buildTags(exif, xmp, iptc);
	} catch {}

	return {...metadataFromTags(tags), width: undefined, height: undefined, durationSeconds: undefined};
}
