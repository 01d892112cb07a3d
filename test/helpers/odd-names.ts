import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {corpusDir} from './temp.js';

/**
 * File names that crafted input and old cards bring: the longest a name may be (255 bytes, in ASCII and in two-byte
 * UTF-8 characters, so a byte/character confusion shows), a four-letter extension, a newline, an escape sequence.
 */
export const longNames = [`${'a'.repeat(251)}.jpg`, `${'é'.repeat(125)}x.jpg`, `${'é'.repeat(125)}.jpeg`] as const;

/** Odd names that still fit. */
export const oddNames = ['line\nbreak.jpg', '\u001B[31mred\u001B[0m.jpg'] as const;

/** A name that is not valid UTF-8 (Latin-1 `é` and a stray byte), as bytes: Node cannot spell it as a string. */
export const notUtf8Name = Buffer.concat([Buffer.from('caf'), Buffer.from([0xE9, 0xFF]), Buffer.from('.jpg')]);

/** Real camera JPEGs of the corpus, one per name asked for (distinct photos, so none is a copy of another). */
export function cornerPhotos(count: number): Buffer[] {
	const cameras = path.join(corpusDir, 'cameras');
	const names = fs.readdirSync(cameras).filter(name => /\.jpe?g$/i.test(name)).sort();
	if (names.length < count) {
		throw new Error(`the corpus has ${names.length} camera JPEGs, ${count} are needed`);
	}

	return names.slice(0, count).map(name => fs.readFileSync(path.join(cameras, name)));
}

/** SHA-256 of bytes. */
export function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Every file under `dir`, and its trash (not the rest of `.curate`), as SHA-256 → relative paths. Names are read as
 * bytes, so a name that is not UTF-8 is found too (shown with U+FFFD).
 */
export function contentsOf(dir: string): Map<string, string[]> {
	const found = new Map<string, string[]>();
	const visit = (current: Buffer, relative: string) => {
		for (const entry of fs.readdirSync(current, {withFileTypes: true, encoding: 'buffer'})) {
			const full = Buffer.concat([current, Buffer.from('/'), entry.name]);
			const name = `${relative}${entry.name.toString('utf8')}`;
			if (entry.isDirectory()) {
				visit(full, `${name}/`);
			} else if (entry.isFile() && (!name.startsWith('.curate/') || name.startsWith('.curate/trash/'))) {
				const hash = sha256(fs.readFileSync(full));
				found.set(hash, [...(found.get(hash) ?? []), name].sort());
			}
		}
	};

	visit(Buffer.from(dir), '');
	return found;
}

/** Whether a name is valid UTF-8 that round-trips (no U+FFFD standing for a split character). */
export function isWholeUtf8(name: string): boolean {
	return !name.includes('\uFFFD') && Buffer.from(name).toString('utf8') === name;
}
