// Builds a tiny CLIP-format model (about 20 KB) that transformers.js 3 loads like a real one, so tests run the real
// loading, preprocessing and inference code without a model download. Deterministic: every build is byte-identical,
// and test/fixtures/tiny-clip.test.ts rebuilds it and compares with the committed copy in tiny-clip/.
//
// Embedding space (8 dimensions): an image embeds as the chroma of its mean normalised colour (dims 0-2: each channel
// minus the mean of the three), its brightness (dim 3) and a constant 1 (dim 4), so a grey or barely tinted photo
// points mostly along dim 4 and only a saturated one comes close to a colour. Words: "red", "green", "blue" point at
// their chroma on dims 0-2; "bright", "white", "snow", "day" up dim 3 and "dark", "black", "night" down it; every
// other word gets small fixed values on dims 5-7, which no image has. A text embeds as the masked mean of its words, so
// a solid red photo is closest to "red", a dark one to "night", and a prompt of unknown words is equally far from all.
//
// Usage: node media-fixtures/models/build-tiny-clip.mjs [OUTPUT_DIR]   (default: media-fixtures/models/tiny-clip)
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import onnxProto from 'onnx-proto';

const {onnx} = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const UINT8 = onnx.TensorProto.DataType.UINT8;
const A = onnx.AttributeProto.AttributeType;

/** Embedding width. */
const D = 8;
/** CLIP's logit scale, exp(ln 100) = 100, as the real model ships it. */
const logitScale = Math.log(100);

const words = ['a', 'an', 'the', 'photo', 'picture', 'of', 'this', 'is', 'with', 'red', 'green', 'blue', 'bright', 'white', 'snow', 'day', 'dark', 'black', 'night'];
const bos = '<|startoftext|>';
const eos = '<|endoftext|>';
const vocab = Object.fromEntries([...words, bos, eos].map((word, id) => [word, id]));

/** A small deterministic generator (LCG) for the filler values of words without a meaning. */
function filler(seed) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

function tokenEmbedding() {
	const table = new Float32Array((words.length + 2) * D);
	const random = filler(20_240_601);
	const chroma = channel => [0, 1, 2].map(c => (c === channel ? 2 : -1) / Math.sqrt(6));
	const meaning = {red: chroma(0), green: chroma(1), blue: chroma(2), bright: [0, 0, 0, 1], white: [0, 0, 0, 1], snow: [0, 0, 0, 1], day: [0, 0, 0, 1], dark: [0, 0, 0, -1], black: [0, 0, 0, -1], night: [0, 0, 0, -1]};
	for (const [word, id] of Object.entries(vocab)) {
		const row = table.subarray(id * D, (id + 1) * D);
		const known = meaning[word];
		if (known) {
			row.set(known);
		} else {
			for (let dim = 5; dim < D; dim++) {
				row[dim] = (0.05 + random() * 0.05) * (random() < 0.5 ? -1 : 1);
			}
		}
	}

	return table;
}

function visualProjection() {
	// Dims 0-2: chroma (channel minus the mean of the three); dim 3: brightness (the mean).
	const projection = new Float32Array(3 * D);
	for (let channel = 0; channel < 3; channel++) {
		for (let dim = 0; dim < 3; dim++) {
			projection[channel * D + dim] = (channel === dim ? 1 : 0) - 1 / 3;
		}

		projection[channel * D + 3] = 1 / 3;
	}

	return projection;
}

function identity(size) {
	const matrix = new Float32Array(size * size);
	for (let i = 0; i < size; i++) {
		matrix[i * size + i] = 1;
	}

	return matrix;
}

const bytes = typed => Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
const floatTensor = (name, dims, values) => onnx.TensorProto.create({name, dims, dataType: FLOAT, rawData: bytes(Float32Array.from(values))});
const int64Tensor = (name, values) => onnx.TensorProto.create({name, dims: [values.length], dataType: INT64, rawData: bytes(BigInt64Array.from(values, BigInt))});
const scalarFloat = (name, value) => onnx.TensorProto.create({name, dims: [], dataType: FLOAT, rawData: bytes(Float32Array.of(value))});
const node = (opType, inputs, outputs, attributes = []) => onnx.NodeProto.create({opType, input: inputs, output: outputs, name: outputs[0], attribute: attributes});
const ints = (name, values) => onnx.AttributeProto.create({name, type: A.INTS, ints: values});
const int = (name, value) => onnx.AttributeProto.create({name, type: A.INT, i: value});
const value = (name, elemType, dims) =>
	onnx.ValueInfoProto.create({
		name,
		type: {tensorType: {elemType, shape: {dim: dims.map(dim => (typeof dim === 'number' ? {dimValue: dim} : {dimParam: dim}))}}},
	});

/**
 * A weight as an initializer plus the nodes that produce it under `name`: fp32 as it is, or (quantized) uint8 with a
 * scale and zero point restored by DequantizeLinear, as onnxruntime's dynamic quantization stores real CLIP weights.
 */
function weight(name, dims, values, quantized) {
	if (!quantized) {
		return {initializers: [floatTensor(name, dims, values)], nodes: []};
	}

	const min = Math.min(0, ...values);
	const max = Math.max(0, ...values);
	const scale = (max - min) / 255 || 1;
	const zeroPoint = Math.round(-min / scale);
	const quantizedValues = Uint8Array.from(values, v => Math.max(0, Math.min(255, Math.round(v / scale) + zeroPoint)));
	return {
		initializers: [
			onnx.TensorProto.create({name: `${name}_quantized`, dims, dataType: UINT8, rawData: Buffer.from(quantizedValues)}),
			scalarFloat(`${name}_scale`, scale),
			onnx.TensorProto.create({name: `${name}_zero_point`, dims: [], dataType: UINT8, rawData: Buffer.from([zeroPoint])}),
		],
		nodes: [node('DequantizeLinear', [`${name}_quantized`, `${name}_scale`, `${name}_zero_point`], [name])],
	};
}

function visionPart(quantized) {
	const projection = weight('visual_projection', [3, D], visualProjection(), quantized);
	const bias = new Float32Array(D);
	bias[4] = 1;
	return {
		initializers: [...projection.initializers, floatTensor('visual_bias', [D], bias)],
		nodes: [
			...projection.nodes,
			node('ReduceMean', ['pixel_values'], ['pooled_colour'], [ints('axes', [2, 3]), int('keepdims', 0)]),
			node('MatMul', ['pooled_colour', 'visual_projection'], ['projected_colour']),
			node('Add', ['projected_colour', 'visual_bias'], ['vision_embeds']),
		],
		output: 'vision_embeds',
	};
}

function textPart(quantized) {
	const table = weight('token_embedding', [words.length + 2, D], tokenEmbedding(), quantized);
	const projection = weight('text_projection', [D, D], identity(D), quantized);
	return {
		initializers: [...table.initializers, ...projection.initializers, int64Tensor('axis_2', [2]), int64Tensor('axis_1', [1]), scalarFloat('one', 1)],
		nodes: [
			...table.nodes,
			...projection.nodes,
			// A masked mean of the word vectors, so padding never moves a text's embedding.
			node('Gather', ['token_embedding', 'input_ids'], ['token_vectors'], [int('axis', 0)]),
			node('Cast', ['attention_mask'], ['mask_float'], [int('to', FLOAT)]),
			node('Unsqueeze', ['mask_float', 'axis_2'], ['mask_3d']),
			node('Mul', ['token_vectors', 'mask_3d'], ['masked_vectors']),
			node('ReduceSum', ['masked_vectors', 'axis_1'], ['vector_sum'], [int('keepdims', 0)]),
			node('ReduceSum', ['mask_3d', 'axis_1'], ['token_count'], [int('keepdims', 0)]),
			node('Max', ['token_count', 'one'], ['safe_count']),
			node('Div', ['vector_sum', 'safe_count'], ['mean_vector']),
			node('MatMul', ['mean_vector', 'text_projection'], ['text_vectors']),
		],
		output: 'text_vectors',
	};
}

function model(name, graph) {
	const proto = onnx.ModelProto.create({
		irVersion: 7,
		opsetImport: [{domain: '', version: 13}],
		producerName: 'curate/build-tiny-clip',
		producerVersion: '1',
		graph: onnx.GraphProto.create({name, ...graph}),
	});
	const problem = onnx.ModelProto.verify(proto);
	if (problem) {
		throw new Error(`${name}: ${problem}`);
	}

	return Buffer.from(onnx.ModelProto.encode(proto).finish());
}

const pixelInput = value('pixel_values', FLOAT, ['batch_size', 3, 'height', 'width']);
const textInputs = [value('input_ids', INT64, ['batch_size', 'sequence_length']), value('attention_mask', INT64, ['batch_size', 'sequence_length'])];

function visionModel(quantized) {
	const vision = visionPart(quantized);
	return model('vision_model', {
		node: [...vision.nodes, node('Identity', [vision.output], ['image_embeds'])],
		initializer: vision.initializers,
		input: [pixelInput],
		output: [value('image_embeds', FLOAT, ['batch_size', D])],
	});
}

function textModel(quantized) {
	const text = textPart(quantized);
	return model('text_model', {
		node: [...text.nodes, node('Identity', [text.output], ['text_embeds'])],
		initializer: text.initializers,
		input: textInputs,
		output: [value('text_embeds', FLOAT, ['batch_size', D])],
	});
}

function combinedModel(quantized) {
	const vision = visionPart(quantized);
	const text = textPart(quantized);
	return model('clip', {
		node: [
			...vision.nodes,
			...text.nodes,
			node('ReduceL2', [vision.output], ['image_norm'], [ints('axes', [-1]), int('keepdims', 1)]),
			node('Div', [vision.output, 'image_norm'], ['image_embeds']),
			node('ReduceL2', [text.output], ['text_norm'], [ints('axes', [-1]), int('keepdims', 1)]),
			node('Div', [text.output, 'text_norm'], ['text_embeds']),
			node('Transpose', ['text_embeds'], ['text_embeds_t'], [ints('perm', [1, 0])]),
			node('MatMul', ['image_embeds', 'text_embeds_t'], ['cosines']),
			node('Exp', ['logit_scale'], ['scale']),
			node('Mul', ['cosines', 'scale'], ['logits_per_image']),
			node('Transpose', ['logits_per_image'], ['logits_per_text'], [ints('perm', [1, 0])]),
		],
		initializer: [...vision.initializers, ...text.initializers, scalarFloat('logit_scale', logitScale)],
		input: [...textInputs, pixelInput],
		output: [
			value('logits_per_image', FLOAT, ['image_batch_size', 'text_batch_size']),
			value('logits_per_text', FLOAT, ['text_batch_size', 'image_batch_size']),
			value('text_embeds', FLOAT, ['text_batch_size', D]),
			value('image_embeds', FLOAT, ['image_batch_size', D]),
		],
	});
}

const json = object => `${JSON.stringify(object, undefined, '\t')}\n`;

function textFiles() {
	const special = (id, content) => ({id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true});
	return {
		'config.json': json({
			_name_or_path: 'curate/tiny-clip',
			architectures: ['CLIPModel'],
			model_type: 'clip',
			projection_dim: D,
			logit_scale_init_value: logitScale,
			text_config: {model_type: 'clip_text_model', hidden_size: D, vocab_size: words.length + 2, max_position_embeddings: 16},
			vision_config: {model_type: 'clip_vision_model', hidden_size: 3, image_size: 32, patch_size: 32},
			'transformers.js_config': {dtype: 'fp32'},
		}),
		'preprocessor_config.json': json({
			image_processor_type: 'CLIPImageProcessor',
			feature_extractor_type: 'CLIPFeatureExtractor',
			do_resize: true,
			size: {shortest_edge: 32},
			resample: 3,
			do_center_crop: true,
			crop_size: {height: 32, width: 32},
			do_rescale: true,
			rescale_factor: 1 / 255,
			do_normalize: true,
			image_mean: [0.481_454_66, 0.457_827_5, 0.408_210_73],
			image_std: [0.268_629_54, 0.261_302_58, 0.275_777_11],
			do_convert_rgb: true,
		}),
		'tokenizer.json': json({
			version: '1.0',
			truncation: null,
			padding: null,
			added_tokens: [special(vocab[bos], bos), special(vocab[eos], eos)],
			normalizer: {type: 'Sequence', normalizers: [{type: 'NFC'}, {type: 'Replace', pattern: {Regex: '\\s+'}, content: ' '}, {type: 'Lowercase'}]},
			pre_tokenizer: {type: 'Sequence', pretokenizers: [{type: 'Whitespace'}]},
			post_processor: {type: 'RobertaProcessing', sep: [eos, vocab[eos]], cls: [bos, vocab[bos]], trim_offsets: false, add_prefix_space: false},
			decoder: {type: 'WordPiece', prefix: '##', cleanup: true},
			model: {type: 'WordLevel', vocab, unk_token: eos},
		}),
		'tokenizer_config.json': json({
			tokenizer_class: 'CLIPTokenizer',
			model_max_length: 16,
			bos_token: bos,
			eos_token: eos,
			pad_token: eos,
			unk_token: eos,
			do_lower_case: true,
		}),
	};
}

/** Every file of the tiny model: relative path → bytes. */
export function tinyClipFiles() {
	const files = Object.fromEntries(Object.entries(textFiles()).map(([name, text]) => [name, Buffer.from(text)]));
	for (const [suffix, quantized] of [['', false], ['_quantized', true]]) {
		files[`onnx/vision_model${suffix}.onnx`] = visionModel(quantized);
		files[`onnx/text_model${suffix}.onnx`] = textModel(quantized);
		files[`onnx/model${suffix}.onnx`] = combinedModel(quantized);
	}

	return files;
}

/** Writes the tiny model into `dir` (created if needed) and returns the relative paths written. */
export function buildTinyClip(dir) {
	const files = tinyClipFiles();
	for (const [relative, data] of Object.entries(files)) {
		const file = path.join(dir, relative);
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, data);
	}

	return Object.keys(files).sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const dir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'tiny-clip'));
	const written = buildTinyClip(dir);
	console.log(`tiny CLIP model: ${written.length} files in ${dir}`);
}
