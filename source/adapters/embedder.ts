/**
 * The only module that imports transformers.js (issue 6). Loads a CLIP model from a local folder, or from the user's
 * model cache, downloading a hub model into that cache once (never at any other time, and never with
 * CURATE_OFFLINE=1), and turns images and texts into unit-length embeddings in one shared space.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {UserError} from '../errors.js';

/** The model `curate tag` uses unless told otherwise: CLIP ViT-B/32, int8-quantized (about 90 MB of vision weights). */
export const defaultModelId = 'Xenova/clip-vit-base-patch32';

/** The logit scale CLIP learned (exp of its trained `logit_scale`): softmax temperature for zero-shot scores. */
export const clipLogitScale = 100;

/** The model cache: `$XDG_CACHE_HOME/curate/models`, else `~/.cache/curate/models`. */
export function modelCacheDir(environment: NodeJS.ProcessEnv = process.env): string {
	const base = environment.XDG_CACHE_HOME && path.isAbsolute(environment.XDG_CACHE_HOME) ? environment.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
	return path.join(base, 'curate', 'models');
}

/** Files a model folder needs for `dtype` (q8 files end in `_quantized`). */
export function requiredFiles(dtype: 'q8' | 'fp32'): string[] {
	const suffix = dtype === 'q8' ? '_quantized' : '';
	return ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', `onnx/vision_model${suffix}.onnx`, `onnx/text_model${suffix}.onnx`];
}

/** Where a model comes from, before anything is loaded. */
export type ModelSource = {
	/** `folder`: a local folder the user named; `hub`: a hub id, read from (or downloaded into) the model cache. */
	readonly kind: 'folder' | 'hub';
	/** What the user asked for: the absolute folder, or the hub id. Recorded in the catalog for later searches. */
	readonly spec: string;
	/** The folder the files are (or will be) in. */
	readonly dir: string;
	/** Quantized files when the folder has them (the default model ships so), else fp32. */
	readonly dtype: 'q8' | 'fp32';
	/** Files still missing from `dir`. */
	readonly missing: readonly string[];
};

const hubId = /^[\w.-]+(?:\/[\w.-]+)?$/;

function filesMissing(dir: string, dtype: 'q8' | 'fp32'): string[] {
	return requiredFiles(dtype).filter(file => !fs.existsSync(path.join(dir, file)));
}

function folderDtype(dir: string): 'q8' | 'fp32' {
	return fs.existsSync(path.join(dir, 'onnx', 'vision_model_quantized.onnx')) || !fs.existsSync(path.join(dir, 'onnx', 'vision_model.onnx')) ? 'q8' : 'fp32';
}

/**
 * Decides what `--model VALUE` means: an existing folder (relative to `cwd`), else a hub id such as
 * `Xenova/clip-vit-base-patch32` whose files live in the model cache. Touches no network.
 */
export function resolveModel(spec: string | undefined, options: {readonly cwd: string; readonly environment?: NodeJS.ProcessEnv}): ModelSource {
	const value = spec ?? defaultModelId;
	const candidate = path.resolve(options.cwd, value.startsWith('~/') ? path.join(os.homedir(), value.slice(2)) : value);
	const looksLikePath = path.isAbsolute(value) || value.startsWith('.') || value.startsWith('~') || !hubId.test(value);
	if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) {
		const dtype = folderDtype(candidate);
		return {kind: 'folder', spec: candidate, dir: candidate, dtype, missing: filesMissing(candidate, dtype)};
	}

	if (looksLikePath) {
		throw new UserError(`no model folder at ${candidate}: give a folder holding ${requiredFiles('q8').join(', ')} (or the fp32 .onnx files), or a model id such as ${defaultModelId}`);
	}

	const dir = path.join(modelCacheDir(options.environment), ...value.split('/'));
	return {kind: 'hub', spec: value, dir, dtype: 'q8', missing: filesMissing(dir, 'q8')};
}

/** The sentence that tells a user what to provide when a model is not on this machine. */
export function missingModelMessage(source: ModelSource): string {
	const files = source.missing.join(', ');
	return source.kind === 'hub'
		? `model ${source.spec} is not on this machine and downloads are off (CURATE_OFFLINE=1): copy the model into ${source.dir} (needs ${files}), or pass --model DIR with a local CLIP folder`
		: `model folder ${source.dir} is incomplete: it needs ${files}`;
}

/**
 * The key embeddings are stored under: a hub id names its model; a folder is named by its folder name and a hash of
 * its vision weights, so two different folders called "clip" never share embeddings and a moved folder still matches.
 */
export function modelKey(source: ModelSource): string {
	const cache = modelCacheDir();
	if (source.kind === 'hub') {
		return `${source.spec}:${source.dtype}`;
	}

	const relative = path.relative(cache, source.dir);
	if (!relative.startsWith('..') && !path.isAbsolute(relative) && hubId.test(relative.split(path.sep).join('/'))) {
		return `${relative.split(path.sep).join('/')}:${source.dtype}`;
	}

	const vision = path.join(source.dir, 'onnx', `vision_model${source.dtype === 'q8' ? '_quantized' : ''}.onnx`);
	const digest = createHash('sha256').update(fs.readFileSync(vision)).digest('hex').slice(0, 12);
	return `${path.basename(source.dir)}@${digest}:${source.dtype}`;
}

/** An RGB image already at the model's input size (see `Embedder.inputSize`), 3 bytes per pixel. */
export type RgbImage = {readonly data: Uint8Array; readonly width: number; readonly height: number};

/** Download progress of one model file. */
export type DownloadProgress = {readonly file: string; readonly loaded: number; readonly total: number; readonly done: boolean};

/** A loaded CLIP model. */
export type Embedder = {
	/** Key the embeddings are stored under (see `modelKey`). */
	readonly key: string;
	readonly source: ModelSource;
	/** Embedding width (512 for ViT-B/32). */
	readonly dimensions: number;
	/** Square side the processor crops to: images fed at this size skip its resize. */
	readonly inputSize: number;
	/** Unit-length image embeddings, one per image, in one contiguous array (`images.length × dimensions`). */
	embedImages(images: readonly RgbImage[]): Promise<Float32Array>;
	/** Unit-length text embeddings, one per text, contiguous. */
	embedTexts(texts: readonly string[]): Promise<Float32Array>;
	dispose(): Promise<void>;
};

/** Options of `loadEmbedder`. */
export type LoadOptions = {
	readonly cwd: string;
	/** Forbid downloads (also set by CURATE_OFFLINE=1). */
	readonly offline?: boolean;
	/** onnxruntime intra-op threads (default: all cores). */
	readonly threads?: number;
	readonly onDownload?: (progress: DownloadProgress) => void;
};

function normalise(data: Float32Array, rows: number, dimensions: number): Float32Array {
	const out = new Float32Array(rows * dimensions);
	for (let row = 0; row < rows; row++) {
		let norm = 0;
		for (let i = 0; i < dimensions; i++) {
			norm += data[row * dimensions + i]! ** 2;
		}

		const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
		for (let i = 0; i < dimensions; i++) {
			out[row * dimensions + i] = data[row * dimensions + i]! * scale;
		}
	}

	return out;
}

function cropSize(config: any): number {
	const crop = config?.crop_size ?? config?.size;
	const value = typeof crop === 'number' ? crop : (crop?.height ?? crop?.shortest_edge);
	return Number.isInteger(value) && value > 0 ? value : 224;
}

/** Whether the environment forbids downloads. */
export function offlineMode(environment: NodeJS.ProcessEnv = process.env): boolean {
	return ['1', 'true', 'yes'].includes((environment.CURATE_OFFLINE ?? '').toLowerCase());
}

/**
 * Loads the CLIP model `spec` (folder or hub id; default `defaultModelId`). A hub model missing from the cache is
 * downloaded into it once, unless offline, which is a `UserError` naming the folder to fill.
 */
export async function loadEmbedder(spec: string | undefined, options: LoadOptions): Promise<Embedder> {
	let source = resolveModel(spec, {cwd: options.cwd});
	const offline = options.offline ?? offlineMode();
	if (source.missing.length > 0 && (source.kind === 'folder' || offline)) {
		throw new UserError(missingModelMessage(source));
	}

	// Loaded here, not with this module: listing models or a search by filters alone needs no model runtime (issue 14).
	const {AutoProcessor, AutoTokenizer, CLIPTextModelWithProjection, CLIPVisionModelWithProjection, env, RawImage} = await import('@huggingface/transformers');
	// A hub-like name must never be served from transformers.js's own cache or models folder instead of ours, so the
	// library's defaults point into our cache, and remote access is on only for a download we decided to make.
	env.cacheDir = modelCacheDir();
	env.localModelPath = modelCacheDir();
	env.allowLocalModels = true;
	const download = source.kind === 'hub' && source.missing.length > 0;
	env.allowRemoteModels = download;
	const threads = options.threads ?? Math.max(1, os.availableParallelism());
	const common = {
		progress_callback: (event: any) => {
			// transformers.js reports progress for local files too; only a real download is worth a progress line.
			if (!download) {
				return;
			}

			if (event?.status === 'progress') {
				options.onDownload?.({file: String(event.file), loaded: Number(event.loaded) || 0, total: Number(event.total) || 0, done: false});
			} else if (event?.status === 'done') {
				options.onDownload?.({file: String(event.file), loaded: 0, total: 0, done: true});
			}
		},
	};
	const name = download ? source.spec : source.dir;
	const modelOptions = {...common, dtype: source.dtype, session_options: {intraOpNumThreads: threads, interOpNumThreads: 1}} as const;
	let parts;
	try {
		parts = await Promise.all([
			AutoProcessor.from_pretrained(name, common),
			AutoTokenizer.from_pretrained(name, common),
			CLIPVisionModelWithProjection.from_pretrained(name, modelOptions as any),
			CLIPTextModelWithProjection.from_pretrained(name, modelOptions as any),
		]);
	} catch (error) {
		throw new UserError(`could not load model ${source.spec}: ${(error as Error).message}`);
	} finally {
		env.allowRemoteModels = false;
	}

	if (download) {
		source = resolveModel(source.spec, {cwd: options.cwd});
	}

	const [processor, tokenizer, vision, text] = parts;
	const inputSize = cropSize((processor as any).image_processor?.config ?? (processor as any).config);
	let dimensions = 0;
	const embedImages = async (images: readonly RgbImage[]): Promise<Float32Array> => {
		if (images.length === 0) {
			return new Float32Array(0);
		}

		const raw = images.map(image => new RawImage(image.data, image.width, image.height, 3));
		const {pixel_values: pixels} = await (processor as any)(raw);
		const {image_embeds: output} = await (vision as any)({pixel_values: pixels});
		dimensions = output.dims.at(-1);
		return normalise(output.data as Float32Array, images.length, dimensions);
	};

	const embedTexts = async (texts: readonly string[]): Promise<Float32Array> => {
		if (texts.length === 0) {
			return new Float32Array(0);
		}

		const inputs = (tokenizer as any)([...texts], {padding: true, truncation: true});
		const {text_embeds: output} = await (text as any)(inputs);
		dimensions = output.dims.at(-1);
		return normalise(output.data as Float32Array, texts.length, dimensions);
	};

	// One probe tells the embedding width before the first real batch.
	await embedTexts(['a photo']);
	return {
		key: modelKey(source),
		source,
		get dimensions() {
			return dimensions;
		},
		inputSize,
		embedImages,
		embedTexts,
		async dispose() {
			await Promise.all([(vision as any).dispose?.(), (text as any).dispose?.()]);
		},
	};
}
