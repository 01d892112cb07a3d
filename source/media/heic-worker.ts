/**
 * Source of the worker thread that decodes HEIC/HEIF with libheif (WASM). libheif's decode is synchronous and takes
 * about a second per 12 MP image, so it runs in workers, one image each, to keep the main thread (and the progress
 * view) responsive. It is plain CommonJS run with `eval: true` so the same code works from the build and under tsx,
 * whose loader hooks do not reach a worker's entry file on Node 20.
 */
export const heicWorkerSource = String.raw`
const {parentPort, workerData} = require('node:worker_threads');
const decode = require(workerData.heicDecodePath);

// libheif logs parse failures through console; the scan reports them as per-file errors instead.
console.log = () => {};
console.error = () => {};
console.warn = () => {};

parentPort.on('message', async ({id, buffer, maxPixels}) => {
	try {
		const images = await decode.all({buffer});
		try {
			const primary = images[0];
			if (primary.width * primary.height > maxPixels) {
				throw new Error('image is ' + primary.width + 'x' + primary.height + ', over the ' + Math.round(maxPixels / 1e6) + ' MP limit (possible decompression bomb)');
			}

			const {width, height, data} = await primary.decode();
			const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
			parentPort.postMessage({id, ok: true, width, height, pixels}, [pixels.buffer]);
		} finally {
			images.dispose();
		}
	} catch (error) {
		parentPort.postMessage({id, ok: false, error: error instanceof Error ? error.message : String(error)});
	}
});
`;
