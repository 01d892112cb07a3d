import fs from 'node:fs';
import path from 'node:path';
import {heifTruncation} from '../../source/media/content-hash.js';
import {heicPreview} from '../../source/media/decode.js';
import {sniffFormat} from '../../source/media/sniff.js';
import {corpusDir} from './temp.js';

/** Every HEIC/HEIF file of the corpus (found by content, walking every folder), as corpus-relative paths. */
export function corpusHeics(): string[] {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				walk(full);
			} else if (entry.isFile()) {
				const head = Buffer.alloc(4096);
				const fd = fs.openSync(full, 'r');
				const length = fs.readSync(fd, head, 0, head.length, 0);
				fs.closeSync(fd);
				if (sniffFormat(head.subarray(0, length), path.extname(entry.name).slice(1).toLowerCase()).format === 'heic') {
					found.push(path.relative(corpusDir, full));
				}
			}
		}
	};

	walk(corpusDir);
	return found.sort();
}

/**
 * The intact corpus HEICs a scan fingerprints from their thumbnail item (`fast`), and the others under 2 megapixels
 * (`smallFull`: decoded in full, but quickly), found by asking the decoder about every corpus HEIC.
 */
export async function corpusHeicsByPath(): Promise<{fast: string[]; smallFull: string[]}> {
	const fast: string[] = [];
	const smallFull: string[] = [];
	for (const file of corpusHeics()) {
		const bytes = fs.readFileSync(path.join(corpusDir, file));
		if (heifTruncation(bytes)) {
			continue;
		}

		// eslint-disable-next-line no-await-in-loop
		const preview = await heicPreview(bytes).catch(() => undefined);
		if (preview?.analysis) {
			fast.push(file);
		} else if (preview && preview.megapixels < 2) {
			smallFull.push(file);
		}
	}

	return {fast, smallFull};
}
