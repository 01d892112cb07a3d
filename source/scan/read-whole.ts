import fs from 'node:fs';

/**
 * A whole file in one read into a buffer that is not zero-filled first. `fs.promises.readFile` zero-fills a fresh
 * buffer and reads it in 512 KB steps: 5 ms of CPU per 4.5 MB photo, against 1.4 ms this way (issue 16). A file that
 * grew since it was opened is read again the ordinary way, so every byte is always there.
 */
export async function readWhole(file: string): Promise<Buffer> {
	const handle = await fs.promises.open(file, 'r');
	try {
		const {size} = await handle.stat();
		const buffer = Buffer.allocUnsafeSlow(size);
		let filled = 0;
		while (filled < size) {
			// eslint-disable-next-line no-await-in-loop
			const {bytesRead} = await handle.read(buffer, filled, size - filled, filled);
			if (bytesRead === 0) {
				// Shorter than it was a moment ago: what is there is the file.
				return buffer.subarray(0, filled);
			}

			filled += bytesRead;
		}

		const probe = await handle.read(Buffer.alloc(1), 0, 1, size);
		return probe.bytesRead === 0 ? buffer : await fs.promises.readFile(file);
	} finally {
		await handle.close();
	}
}
