/**
 * Worker thread that decodes HEIC/HEIF with libheif (WASM). libheif's decode is synchronous and takes about a second
 * per 12 MP image, so it runs here, one image per worker, to keep the main thread (and the progress view) responsive.
 */
import {parentPort} from 'node:worker_threads';
import decode from 'heic-decode';

// libheif logs parse failures through console; the scan reports them as per-file errors instead.
console.log = () => {};
console.error = () => {};
console.warn = () => {};

type Request = {readonly id: number; readonly buffer: Uint8Array; readonly maxPixels: number};

parentPort!.on('message', async ({id, buffer, maxPixels}: Request) => {
	try {
		const images = await decode.all({buffer});
		try {
			const primary = images[0]!;
			if (primary.width * primary.height > maxPixels) {
				throw new Error(`image is ${primary.width}x${primary.height}, over the ${Math.round(maxPixels / 1e6)} MP limit (possible decompression bomb)`);
			}

			const {width, height, data} = await primary.decode();
			const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
			parentPort!.postMessage({id, ok: true, width, height, pixels}, [pixels.buffer as ArrayBuffer]);
		} finally {
			images.dispose();
		}
	} catch (error) {
		parentPort!.postMessage({id, ok: false, error: error instanceof Error ? error.message : String(error)});
	}
});
