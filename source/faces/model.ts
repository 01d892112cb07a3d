import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import process from 'node:process';
import util from 'node:util';

/**
 * The face model (issue 19): @vladmandic/human's BlazeFace detector and FaceRes descriptor, run on TensorFlow.js's
 * WebAssembly backend, with the weights and the .wasm binaries read from node_modules: nothing is downloaded.
 *
 * Human's Node builds need @tensorflow/tfjs-converter (and tfjs-node for the default one), which is not installed,
 * so this loads its self-contained ES bundle (TensorFlow.js inside) instead. That bundle is built for browsers: its
 * `util` is an empty stub, so it must not install TensorFlow.js's Node platform. It is imported while a
 * `WorkerGlobalScope` exists, which makes TensorFlow.js take the browser path; then a platform backed by Node's own
 * `fs` and `util` is set, models are served from disk through an IO router, and the .wasm binary through that
 * platform's fetch. This is the only module that imports Human.
 */

/** Bumped when anything that changes the stored faces changes (model, input size, thresholds). */
export const faceModelId = 'human-3.3.6/blazeface+faceres/640/v1';

/** Longest side of the preview faces are found in. */
export const previewSide = 640;

/** A face as the model reports it, box normalised to the oriented picture (0–1, top-left origin). */
export type DetectedFace = {
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
	/** BlazeFace's detection score, 0–1. */
	readonly score: number;
	/** FaceRes descriptor, L2-normalised. */
	readonly embedding: Float32Array;
};

/** A loaded face model. */
export type FaceModel = {
	readonly id: string;
	/** Faces in RGB pixels (3 bytes per pixel, rows top to bottom). */
	readonly detect: (pixels: {readonly data: Uint8Array; readonly width: number; readonly height: number}) => Promise<DetectedFace[]>;
	readonly dispose: () => void;
};

/** Detection scores below this are not faces; chosen on the corpus (see README, People). */
export const minDetectionScore = 0.65;

/** Faces smaller than this share of the preview's shorter side are too small to describe (at 640 px: 24 px). */
export const minFaceSide = 0.0375;

type Tensor = {readonly shape: number[]};
type HumanFace = {readonly score: number; readonly boxScore: number; readonly boxRaw: [number, number, number, number]; readonly embedding?: number[]};
type Tf = {
	env(): {set(flag: string, value: unknown): void};
	setPlatform(name: string, platform: unknown): void;
	io: {registerLoadRouter(router: (url: string | string[]) => unknown): void};
	tensor4d(values: Uint8Array | Int32Array, shape: [number, number, number, number], dtype: 'int32'): Tensor;
	dispose(tensor: Tensor): void;
	ready(): Promise<void>;
	getBackend(): string;
};
type Human = {
	readonly tf: Tf;
	load(): Promise<void>;
	detect(input: Tensor): Promise<{face: HumanFace[]; error: string | null}>;
};
type HumanModule = {Human: new (config: Record<string, unknown>) => Human};

const require = createRequire(import.meta.url);
const modelScheme = 'curate-face-model://';

/** A package's folder, from its main entry (Human's `exports` hide its package.json). */
function packageDir(name: string): string {
	let dir = path.dirname(require.resolve(name));
	while (!dir.endsWith(path.join('node_modules', name))) {
		const parent = path.dirname(dir);
		if (parent === dir) {
			throw new Error(`face model: cannot find the ${name} package`);
		}

		dir = parent;
	}

	return dir;
}

/** Model JSON and weights from disk, in the shape TensorFlow.js's loaders return. */
function diskModel(file: string) {
	return {
		async load() {
			const json = JSON.parse(await fs.promises.readFile(file, 'utf8')) as {
				modelTopology: unknown;
				format?: string;
				generatedBy?: string;
				convertedBy?: string;
				signature?: unknown;
				userDefinedMetadata?: unknown;
				weightsManifest: Array<{paths: string[]; weights: unknown[]}>;
			};
			const parts = await Promise.all(json.weightsManifest.flatMap(group => group.paths.map(async part => fs.promises.readFile(path.join(path.dirname(file), part)))));
			const weights = Buffer.concat(parts);
			return {
				modelTopology: json.modelTopology,
				format: json.format,
				generatedBy: json.generatedBy,
				convertedBy: json.convertedBy,
				signature: json.signature,
				userDefinedMetadata: json.userDefinedMetadata,
				weightSpecs: json.weightsManifest.flatMap(group => group.weights),
				weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
			};
		},
	};
}

const encoder = new util.TextEncoder();
/** TensorFlow.js's platform interface, on Node's own modules; `fetch` reads local files only. */
const nodePlatform = {
	async fetch(url: string) {
		const bytes = await fs.promises.readFile(url);
		return {ok: true, status: 200, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)};
	},
	now: () => performance.now(),
	encode: (text: string) => encoder.encode(text),
	decode: (bytes: Uint8Array, encoding: string) => new util.TextDecoder(encoding).decode(bytes),
	isTypedArray: (value: unknown) => util.types.isFloat32Array(value) || util.types.isInt32Array(value) || util.types.isUint8Array(value) || util.types.isUint8ClampedArray(value),
};

function normalise(values: readonly number[]): Float32Array {
	const vector = Float32Array.from(values);
	let sum = 0;
	for (const value of vector) {
		sum += value * value;
	}

	const norm = Math.sqrt(sum) || 1;
	for (let i = 0; i < vector.length; i++) {
		vector[i]! /= norm;
	}

	return vector;
}

let loaded: Promise<FaceModel> | undefined;

/** The face model, loaded once per process (about 10 MB of weights; a second or two). */
export async function loadFaceModel(): Promise<FaceModel> {
	loaded ??= load();
	return loaded;
}

async function load(): Promise<FaceModel> {
	const humanDir = packageDir('@vladmandic/human');
	const wasmDir = path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist') + path.sep;
	const globals = globalThis as Record<string, unknown>;
	const hadScope = 'WorkerGlobalScope' in globals;
	const hadDirname = '__dirname' in globals;
	// The bundle's Emscripten loader reads `__dirname` (undefined in ES modules) and installs process-wide
	// uncaughtException/unhandledRejection handlers that rethrow; both are undone once the backend is ready.
	const listeners = {uncaughtException: process.listeners('uncaughtException'), unhandledRejection: process.listeners('unhandledRejection')};
	globals.WorkerGlobalScope ??= class {};
	globals.__dirname ??= wasmDir;
	let human: Human;
	try {
		const {Human: HumanClass} = (await import(path.join(humanDir, 'dist', 'human.esm.js'))) as HumanModule;
		human = new HumanClass({
			backend: 'wasm',
			wasmPath: wasmDir,
			wasmPlatformFetch: true,
			modelBasePath: modelScheme,
			cacheModels: false,
			debug: false,
			async: false,
			warmup: 'none',
			cacheSensitivity: 0,
			filter: {enabled: false},
			face: {
				enabled: true,
				detector: {rotation: false, maxDetected: 50, minConfidence: minDetectionScore, iouThreshold: 0.2, return: false},
				mesh: {enabled: false},
				iris: {enabled: false},
				emotion: {enabled: false},
				description: {enabled: true},
				antispoof: {enabled: false},
				liveness: {enabled: false},
				attention: {enabled: false},
			},
			body: {enabled: false},
			hand: {enabled: false},
			object: {enabled: false},
			gesture: {enabled: false},
			segmentation: {enabled: false},
		});
		const {tf} = human;
		// The bundle registers the browser platform first (it sees WorkerGlobalScope, set above), so TensorFlow.js warns
		// "Platform browser has already been set" on the user's terminal when Node's replaces it: that one warning is dropped.
		const warn = console.warn;
		console.warn = (...args: unknown[]) => {
			if (!(typeof args[0] === 'string' && args[0].startsWith('Platform browser has already been set'))) {
				warn(...args);
			}
		};

		try {
			tf.setPlatform('node', nodePlatform);
		} finally {
			console.warn = warn;
		}

		// Threads would need a Worker built from a Blob URL; on 2 shared cores one thread per process is fairer anyway.
		tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
		tf.io.registerLoadRouter(url => (typeof url === 'string' && url.startsWith(modelScheme) ? diskModel(path.join(humanDir, 'models', url.slice(modelScheme.length))) : null));
		await human.load();
		await tf.ready();
		if (tf.getBackend() !== 'wasm') {
			throw new Error(`face model: WebAssembly backend did not start (got ${tf.getBackend()})`);
		}
	} finally {
		if (!hadScope) {
			delete globals.WorkerGlobalScope;
		}

		if (!hadDirname) {
			delete globals.__dirname;
		}

		for (const listener of process.listeners('uncaughtException')) {
			if (!listeners.uncaughtException.includes(listener)) {
				process.off('uncaughtException', listener);
			}
		}

		for (const listener of process.listeners('unhandledRejection')) {
			if (!listeners.unhandledRejection.includes(listener)) {
				process.off('unhandledRejection', listener);
			}
		}
	}

	const {tf} = human;
	return {
		id: faceModelId,
		async detect({data, width, height}) {
			const tensor = tf.tensor4d(data, [1, height, width, 3], 'int32');
			try {
				const result = await human.detect(tensor);
				if (result.error) {
					throw new Error(result.error);
				}

				const short = Math.min(width, height);
				const faces: DetectedFace[] = [];
				for (const face of result.face) {
					const [x0, y0, w0, h0] = face.boxRaw;
					// Clamped to the picture: BlazeFace's box grows past the edge for faces cut by it.
					const x = Math.max(0, x0);
					const y = Math.max(0, y0);
					const w = Math.min(1, x0 + w0) - x;
					const h = Math.min(1, y0 + h0) - y;
					if (!face.embedding?.length || face.boxScore < minDetectionScore || Math.min(w * width, h * height) < minFaceSide * short) {
						continue;
					}

					faces.push({x, y, width: w, height: h, score: face.boxScore, embedding: normalise(face.embedding)});
				}

				return faces;
			} finally {
				tf.dispose(tensor);
			}
		},
		dispose() {
			// The backend lives for the process; nothing to free per model.
		},
	};
}
