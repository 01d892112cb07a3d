/**
 * Source of the worker thread that decodes HEIC/HEIF with libheif (WASM). libheif's decode is synchronous and takes
 * about a second per 12 MP image, so it runs in workers, one image each, to keep the main thread (and the progress
 * view) responsive. It is plain CommonJS run with `eval: true` so the same code works from the build and under tsx,
 * whose loader hooks do not reach a worker's entry file on Node 20.
 *
 * It calls libheif's C API directly (heic-decode's wrapper can only decode top-level images): in `thumbnail` mode it
 * decodes the primary image's thumbnail item (an iPhone's is 320x240, itself HEVC, about 1/150 of the pixels) when
 * that thumbnail is large enough and has the primary's shape (and answers `none` otherwise, issue 16). `full`
 * decodes the primary image. Orientation (irot/imir) is applied by libheif in both cases.
 */
export const heicWorkerSource = String.raw`
const {parentPort, workerData} = require('node:worker_threads');
const heif = require(workerData.libheifPath);

// libheif logs parse failures through console; the scan reports them as per-file errors instead.
console.log = () => {};
console.error = () => {};
console.warn = () => {};

const RGB = 1;
const RGBA = 11;
const INTERLEAVED = 10;

function messageOf(error) {
	const message = heif.HEAPU32[(error + 8) >> 2];
	let text = '';
	for (let at = message; message && heif.HEAPU8[at] !== 0 && at < message + 300; at++) text += String.fromCharCode(heif.HEAPU8[at]);
	return text;
}

function check(error) {
	const code = heif.HEAP32[error >> 2];
	if (code !== 0) {
		throw new Error(messageOf(error) || 'libheif error ' + code);
	}
}

function decodeHandle(handle, error, out) {
	heif._heif_decode_image(error, handle, out, RGB, RGBA, 0);
	check(error);
	const image = heif.HEAPU32[out >> 2];
	const strideAt = heif._malloc(4);
	try {
		const plane = heif._heif_image_get_plane_readonly(image, INTERLEAVED, strideAt);
		const stride = heif.HEAP32[strideAt >> 2];
		const width = heif._heif_image_get_width(image, INTERLEAVED);
		const height = heif._heif_image_get_height(image, INTERLEAVED);
		const pixels = new Uint8Array(width * height * 4);
		for (let y = 0; y < height; y++) {
			pixels.set(heif.HEAPU8.subarray(plane + y * stride, plane + y * stride + width * 4), y * width * 4);
		}

		// The WebAssembly build hands back a picture even when the HEVC data is corrupt; the decoder's complaints are kept
		// as warnings on the image, and they are the only sign of the damage.
		const warnings = heif._heif_image_get_decoding_warnings(image, 0, 0, 0);
		let warning = '';
		if (warnings > 0) {
			heif._heif_image_get_decoding_warnings(image, 0, error, 1);
			warning = messageOf(error);
		}

		return {width, height, pixels, warnings, warning};
	} finally {
		heif._free(strideAt);
		heif._heif_image_release(image);
	}
}

/** The thumbnail worth decoding instead of the primary: big enough, and the primary's shape within 2%. */
function usableThumbnail(primary, width, height, minSide, error, out) {
	const count = heif._heif_image_handle_get_number_of_thumbnails(primary);
	if (count < 1) return 0;
	const ids = heif._malloc(4 * count);
	try {
		heif._heif_image_handle_get_list_of_thumbnail_IDs(primary, ids, count);
		let best = 0;
		let bestSide = 0;
		for (let i = 0; i < count; i++) {
			heif._heif_image_handle_get_thumbnail(error, primary, heif.HEAPU32[(ids >> 2) + i], out);
			if (heif.HEAP32[error >> 2] !== 0) continue;
			const handle = heif.HEAPU32[out >> 2];
			const w = heif._heif_image_handle_get_width(handle);
			const h = heif._heif_image_handle_get_height(handle);
			const side = Math.max(w, h);
			const shape = Math.abs(w / h - width / height) / (width / height);
			if (side >= minSide && shape <= 0.02 && side > bestSide) {
				if (best) heif._heif_image_handle_release(best);
				best = handle;
				bestSide = side;
			} else {
				heif._heif_image_handle_release(handle);
			}
		}

		return best;
	} finally {
		heif._free(ids);
	}
}

parentPort.on('message', async ({id, buffer, mode, maxPixels, minThumbnail}) => {
	await heif.ready;
	const error = heif._malloc(16);
	const out = heif._malloc(4);
	const data = heif._malloc(Math.max(1, buffer.byteLength));
	const context = heif._heif_context_alloc();
	let primary = 0;
	try {
		heif.HEAPU8.set(buffer, data);
		heif._heif_context_read_from_memory_without_copy(error, context, data, buffer.byteLength, 0);
		check(error);
		heif._heif_context_get_primary_image_handle(error, context, out);
		check(error);
		primary = heif.HEAPU32[out >> 2];
		const width = heif._heif_image_handle_get_width(primary);
		const height = heif._heif_image_handle_get_height(primary);
		if (width * height > maxPixels) {
			throw new Error('image is ' + width + 'x' + height + ', over the ' + Math.round(maxPixels / 1e6) + ' MP limit (possible decompression bomb)');
		}

		let decoded;
		let source = 'primary';
		const thumbnail = mode === 'thumbnail' ? usableThumbnail(primary, width, height, minThumbnail, error, out) : 0;
		if (thumbnail) {
			try {
				const candidate = decodeHandle(thumbnail, error, out);
				// A thumbnail the decoder complained about is no stand-in for the picture.
				if (candidate.warnings === 0) {
					decoded = candidate;
					source = 'thumbnail';
				}
			} catch {
				// A thumbnail that does not decode says nothing about the primary: decode that instead.
			} finally {
				heif._heif_image_handle_release(thumbnail);
			}
		}

		if (!decoded && mode === 'thumbnail') {
			// No usable thumbnail: the caller decodes the primary, with a native decoder when it has one.
			parentPort.postMessage({id, ok: true, width, height, source: 'none', pixelWidth: 0, pixelHeight: 0});
			return;
		}

		decoded ??= decodeHandle(primary, error, out);
		parentPort.postMessage({id, ok: true, width, height, source, pixelWidth: decoded.width, pixelHeight: decoded.height, pixels: decoded.pixels, warnings: decoded.warnings, warning: decoded.warning}, [decoded.pixels.buffer]);
	} catch (error_) {
		parentPort.postMessage({id, ok: false, error: error_ instanceof Error ? error_.message : String(error_)});
	} finally {
		if (primary) heif._heif_image_handle_release(primary);
		heif._heif_context_free(context);
		heif._free(data);
		heif._free(error);
		heif._free(out);
	}
});
`;
