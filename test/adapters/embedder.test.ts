import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {defaultModelId, loadEmbedder, modelKey, requiredFiles, resolveModel} from '../../source/adapters/embedder.js';
import {UserError} from '../../source/library.js';
import {tempDir} from '../helpers/temp.js';

const tiny = path.resolve(import.meta.dirname, '../../media-fixtures/models/tiny-clip');

test('--model: an existing folder (relative or absolute), else a hub id in the model cache', () => {
	const cache = tempDir();
	const environment = {XDG_CACHE_HOME: cache};
	const relative = resolveModel('media-fixtures/models/tiny-clip', {cwd: path.resolve(import.meta.dirname, '../..'), environment});
	assert.equal(relative.kind, 'folder');
	assert.equal(relative.dir, tiny);
	assert.deepEqual(relative.missing, []);
	const hub = resolveModel(undefined, {cwd: '/', environment});
	assert.equal(hub.kind, 'hub');
	assert.equal(hub.spec, defaultModelId);
	assert.equal(hub.dir, path.join(cache, 'curate', 'models', 'Xenova', 'clip-vit-base-patch32'));
	assert.deepEqual(hub.missing, requiredFiles('q8'));
	assert.throws(() => resolveModel('./no/such/model', {cwd: '/', environment}), (error: Error) => error instanceof UserError && /no model folder at \/no\/such\/model/.test(error.message));
});

test('a folder keeps its key when moved and differs from another model with the same name', () => {
	const a = path.join(tempDir(), 'clip');
	fs.cpSync(tiny, a, {recursive: true});
	const b = path.join(tempDir(), 'elsewhere', 'clip');
	fs.cpSync(tiny, b, {recursive: true});
	const keyA = modelKey(resolveModel(a, {cwd: '/'}));
	assert.equal(keyA, modelKey(resolveModel(b, {cwd: '/'})));
	assert.match(keyA, /^clip@[\da-f]{12}:q8$/);
	fs.writeFileSync(path.join(b, 'onnx', 'vision_model_quantized.onnx'), Buffer.concat([fs.readFileSync(path.join(b, 'onnx', 'vision_model_quantized.onnx')), Buffer.from([0])]));
	assert.notEqual(keyA, modelKey(resolveModel(b, {cwd: '/'})));
});

test('offline with the default model absent: a UserError naming the folder and files to provide, no network', async () => {
	const cache = tempDir();
	const previous = process.env.XDG_CACHE_HOME;
	process.env.XDG_CACHE_HOME = cache;
	try {
		await assert.rejects(loadEmbedder(undefined, {cwd: '/', offline: true}), (error: Error) => {
			assert.ok(error instanceof UserError);
			assert.match(error.message, /CURATE_OFFLINE=1/);
			assert.ok(error.message.includes(path.join(cache, 'curate', 'models', 'Xenova', 'clip-vit-base-patch32')), error.message);
			assert.match(error.message, /onnx\/vision_model_quantized\.onnx/);
			assert.match(error.message, /--model DIR/);
			return true;
		});
		// Nothing was downloaded or created in the cache.
		assert.deepEqual(fs.readdirSync(cache), []);
	} finally {
		if (previous === undefined) {
			delete process.env.XDG_CACHE_HOME;
		} else {
			process.env.XDG_CACHE_HOME = previous;
		}
	}
});

test('an incomplete model folder names the missing files', async () => {
	const dir = path.join(tempDir(), 'broken-clip');
	fs.cpSync(tiny, dir, {recursive: true});
	fs.rmSync(path.join(dir, 'tokenizer_config.json'));
	await assert.rejects(loadEmbedder(dir, {cwd: '/'}), /incomplete: it needs tokenizer_config\.json/);
});

test('a model cached under the cache folder is found by its hub id and keeps the hub key', async () => {
	const cache = tempDir();
	fs.cpSync(tiny, path.join(cache, 'curate', 'models', 'test', 'tiny-clip'), {recursive: true});
	const previous = process.env.XDG_CACHE_HOME;
	process.env.XDG_CACHE_HOME = cache;
	try {
		const embedder = await loadEmbedder('test/tiny-clip', {cwd: '/', offline: true});
		assert.equal(embedder.source.kind, 'hub');
		assert.equal(embedder.key, 'test/tiny-clip:q8');
		assert.equal((await embedder.embedTexts(['red'])).length, 8);
		await embedder.dispose();
	} finally {
		if (previous === undefined) {
			delete process.env.XDG_CACHE_HOME;
		} else {
			process.env.XDG_CACHE_HOME = previous;
		}
	}
});
