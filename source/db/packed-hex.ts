/**
 * Hex strings of many records kept as the bytes they spell (issue 15). The light records duplicate finding holds for
 * every photo (source/db/dupes-data.ts) carry five hex fingerprints: SHA-256 and content hash (64 digits each), pHash
 * (16), turned pHashes (48) and crop pHashes (32). As strings they took 304 bytes a photo, 344 with their slots; as
 * bytes in one buffer they take 112, and two more say how each field is kept. A string is given back exactly as it was
 * kept: one that is not lowercase hex of its field's width, which packing would not give back as it was, is kept as the
 * string itself.
 */

/** How a record's field is kept: two bits a field. */
const none = 0;
const packed = 1;
const asGiven = 2;

/** Most fields a record may have (two bits each in a 16-bit word). */
const maxFields = 8;

/** Character codes of each byte's two hex digits. */
const high = new Uint16Array(256);
const low = new Uint16Array(256);
for (let byte = 0; byte < 256; byte++) {
	high[byte] = '0123456789abcdef'.charCodeAt(byte >> 4);
	low[byte] = '0123456789abcdef'.charCodeAt(byte & 15);
}

/**
 * Eight bytes as 16 hex digits, made in JavaScript: a pHash is read for every photo several times in candidate lookup,
 * and Buffer's hex (a call into C++) took three times as long.
 */
function hex8(bytes: Uint8Array, at: number): string {
	const b0 = bytes[at]!;
	const b1 = bytes[at + 1]!;
	const b2 = bytes[at + 2]!;
	const b3 = bytes[at + 3]!;
	const b4 = bytes[at + 4]!;
	const b5 = bytes[at + 5]!;
	const b6 = bytes[at + 6]!;
	const b7 = bytes[at + 7]!;
	return String.fromCharCode(high[b0]!, low[b0]!, high[b1]!, low[b1]!, high[b2]!, low[b2]!, high[b3]!, low[b3]!, high[b4]!, low[b4]!, high[b5]!, low[b5]!, high[b6]!, low[b6]!, high[b7]!, low[b7]!);
}

/** Hex fields of records, packed: add a record, set its fields, read them back as the strings they were. */
export class PackedHex {
	/** Byte offset of each field in a record's stride. */
	private readonly offsets: readonly number[];
	private readonly stride: number;
	private bytes: Buffer;
	/** Per record, how each field is kept (two bits a field). */
	private forms: Uint16Array;
	/** The fields kept as given, by `record * maxFields + field`: none in a catalog Curate wrote. */
	private readonly given = new Map<number, string>();
	private count = 0;

	/**
	 * @param widths Bytes of each field (32 for a SHA-256), at most eight fields.
	 * @param capacity Records to make room for; more grow the buffer.
	 */
	constructor(
		private readonly widths: readonly number[],
		capacity: number,
	) {
		if (widths.length > maxFields) {
			throw new RangeError(`at most ${maxFields} fields`);
		}

		let offset = 0;
		this.offsets = widths.map(width => {
			const at = offset;
			offset += width;
			return at;
		});
		this.stride = offset;
		this.bytes = Buffer.allocUnsafeSlow(Math.max(capacity, 1) * this.stride);
		this.forms = new Uint16Array(Math.max(capacity, 1));
	}

	/** A new record, every field null; returns its number. */
	add(): number {
		if (this.count === this.forms.length) {
			const bytes = Buffer.allocUnsafeSlow(this.bytes.length * 2);
			this.bytes.copy(bytes);
			this.bytes = bytes;
			const forms = new Uint16Array(this.forms.length * 2);
			forms.set(this.forms);
			this.forms = forms;
		}

		this.forms[this.count] = none;
		return this.count++;
	}

	/** Keeps a field of a record (set once, after `add`). */
	set(record: number, field: number, value: string | null): void {
		if (value === null) {
			return;
		}

		const width = this.widths[field]!;
		const at = record * this.stride + this.offsets[field]!;
		// write stops at the first pair that is not hex, so all of it was hex when it wrote every byte; hex reads back
		// lowercase, so only a lowercase string reads back as it was.
		if (value.length === width * 2 && this.bytes.write(value, at, width, 'hex') === width && value.toLowerCase() === value) {
			this.forms[record]! |= packed << (field * 2);
		} else {
			this.forms[record]! |= asGiven << (field * 2);
			this.given.set(record * maxFields + field, value);
		}
	}

	/**
	 * Keeps a record's fields from their bytes as already packed: `source` is a whole record's stride, laid out as this
	 * table lays it out, of which the fields with their bit set in `fields` (bit f for field f) are kept; the others stay
	 * as they were (set them with `set`). Set once, after `add`.
	 */
	setPacked(record: number, fields: number, source: Uint8Array): void {
		this.bytes.set(source.subarray(0, this.stride), record * this.stride);
		for (let field = 0; field < this.widths.length; field++) {
			if ((fields >> field) & 1) {
				this.forms[record]! |= packed << (field * 2);
			}
		}
	}

	/**
	 * Word `word` of a record's field when it is packed: the 32-bit number its hex digits 8·word to 8·word + 7 spell
	 * (big-endian, as the digits read), made without the string; -1 when the field is missing or kept as given.
	 */
	word(record: number, field: number, word: number): number {
		if (((this.forms[record]! >> (field * 2)) & 3) !== packed) {
			return -1;
		}

		return this.bytes.readUInt32BE(record * this.stride + this.offsets[field]! + word * 4);
	}

	/** A field of a record, as it was kept: a new string each time for a packed one. */
	get(record: number, field: number): string | null {
		const form = (this.forms[record]! >> (field * 2)) & 3;
		if (form === packed) {
			const at = record * this.stride + this.offsets[field]!;
			const width = this.widths[field]!;
			return width === 8 ? hex8(this.bytes, at) : this.bytes.toString('hex', at, at + width);
		}

		return form === none ? null : this.given.get(record * maxFields + field)!;
	}
}
