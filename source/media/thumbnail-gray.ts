/**
 * Reads the thumbnails scan cached as grey pictures, synchronously, for the thumbnail check of duplicate finding
 * (source/dupes/thumb-check.ts, issue 15). Duplicate finding is synchronous from end to end and sharp decodes only
 * asynchronously, so the decoding runs in one worker thread while the caller waits on a shared flag; it starts on the
 * first read, which only a pair near the limit of the grid check makes, and each read is a batch of files.
 */
import {createRequire} from 'node:module';
import {MessageChannel, type MessagePort, receiveMessageOnPort, Worker} from 'node:worker_threads';
import type {Gray} from '../core/geometry.js';

/** A decoded thumbnail: grey levels 0-255 (Rec. 601 luma, as scan's fingerprints), row by row. */
export type GrayThumbnail = {readonly gray: Uint8Array; readonly width: number; readonly height: number};

/** Longest a batch may take before its files count as unreadable. */
const timeoutMs = 30_000;

// Plain CommonJS run with `eval: true`, as heic-worker.ts: the same code from the build and under tsx.
const workerSource = String.raw`
const {workerData} = require('node:worker_threads');
const sharp = require(workerData.sharpPath);
const flag = new Int32Array(workerData.flag);
const port = workerData.port;
sharp.cache(false);
// Grey levels of decoded pixels, in a plain function of its own: inside the async decode below the loop ran several
// times slower (about 1.3 ms a 320-pixel thumbnail, against a 1.5 ms decode).
function luma(data, channels, pixels) {
	const gray = new Uint8Array(pixels);
	if (channels <= 2) {
		for (let i = 0; i < pixels; i++) gray[i] = data[i * channels];
	} else {
		for (let i = 0, p = 0; i < pixels; i++, p += channels) gray[i] = Math.round(0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2]);
	}
	return gray;
}
async function decode(file) {
	try {
		const {data, info} = await sharp(file, {failOn: 'none'}).raw().toBuffer({resolveWithObject: true});
		return {gray: luma(data, info.channels, info.width * info.height), width: info.width, height: info.height};
	} catch {
		return null;
	}
}
port.on('message', async ({files}) => {
	const pictures = await Promise.all(files.map(decode));
	port.postMessage(pictures, pictures.filter(Boolean).map(picture => picture.gray.buffer));
	Atomics.store(flag, 0, 1);
	Atomics.notify(flag, 0);
});
`;

/** Decodes thumbnails in a worker thread, each batch waited for. */
export class ThumbnailReader {
	/** Files asked for so far (what the check cost in reads). */
	reads = 0;
	private worker: Worker | undefined;
	private port: MessagePort | undefined;
	private readonly flag = new Int32Array(new SharedArrayBuffer(4));

	/** Grey pictures of these files, in order; undefined for a file that is missing or does not decode. */
	read(files: readonly string[]): Array<GrayThumbnail | undefined> {
		if (files.length === 0) {
			return [];
		}

		this.reads += files.length;
		const port = this.start();
		Atomics.store(this.flag, 0, 0);
		port.postMessage({files});
		if (Atomics.wait(this.flag, 0, 0, timeoutMs) === 'timed-out') {
			this.close();
			return files.map(() => undefined);
		}

		const answer = receiveMessageOnPort(port)?.message as Array<GrayThumbnail | null> | undefined;
		return files.map((_, index) => answer?.[index] ?? undefined);
	}

	/** Ends the worker (a new read starts another). */
	close(): void {
		void this.worker?.terminate();
		this.port?.close();
		this.worker = undefined;
		this.port = undefined;
	}

	private start(): MessagePort {
		if (!this.port) {
			const channel = new MessageChannel();
			const sharpPath = createRequire(import.meta.url).resolve('sharp');
			this.worker = new Worker(workerSource, {eval: true, workerData: {sharpPath, flag: this.flag.buffer, port: channel.port2}, transferList: [channel.port2]});
			// Never keeps the process alive: the caller waits on the flag, not on the worker.
			this.worker.unref();
			this.port = channel.port1;
		}

		return this.port;
	}
}

/** A thumbnail as the pure checks take it. */
export function asGray(thumbnail: GrayThumbnail): Gray {
	return {gray: Float32Array.from(thumbnail.gray), width: thumbnail.width, height: thumbnail.height};
}
