import {createHash} from 'node:crypto';
import fs from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';

/**
 * A shared read budget in bytes per second. Several readers draw from one budget, so `--rate 20` means 20 MB/s for
 * the whole run however many files are read at once: a NAS's spinning disks also serve people watching films.
 */
export class Throttle {
	private readonly started = performance.now();
	private consumed = 0;

	constructor(private readonly bytesPerSecond: number) {}

	/** Waits until reading `bytes` more keeps the run at or under the rate since it started. */
	async take(bytes: number): Promise<void> {
		this.consumed += bytes;
		const due = (this.consumed / this.bytesPerSecond) * 1000;
		const wait = due - (performance.now() - this.started);
		if (wait > 1) {
			await sleep(wait);
		}
	}
}

/** Chunk size of hashing reads: large enough for spinning disks to stream, small enough to throttle smoothly. */
const chunkSize = 1024 * 1024;

/** SHA-256 of a file, read in chunks under an optional throttle. Throws the fs error (ENOENT, EACCES, EIO…). */
export async function hashFile(file: string, options: {readonly throttle?: Throttle; readonly signal?: AbortSignal} = {}): Promise<{sha256: string; bytes: number}> {
	const hash = createHash('sha256');
	const handle = await fs.promises.open(file, 'r');
	let bytes = 0;
	try {
		const buffer = Buffer.allocUnsafe(chunkSize);
		for (;;) {
			options.signal?.throwIfAborted();
			// eslint-disable-next-line no-await-in-loop
			const {bytesRead} = await handle.read(buffer, 0, chunkSize, null);
			if (bytesRead === 0) {
				break;
			}

			hash.update(buffer.subarray(0, bytesRead));
			bytes += bytesRead;
			// eslint-disable-next-line no-await-in-loop
			await options.throttle?.take(bytesRead);
		}
	} finally {
		await handle.close();
	}

	return {sha256: hash.digest('hex'), bytes};
}
