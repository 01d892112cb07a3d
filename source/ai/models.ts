import fs from 'node:fs';
import path from 'node:path';
import {defaultModelId, type ModelSource, modelCacheDir, modelKey, offlineMode, resolveModel} from '../adapters/embedder.js';
import {Catalog} from '../db/catalog.js';
import {EmbeddingStore} from '../db/embeddings.js';
import {findLibrary, UserError} from '../library.js';
import {modelSetting} from './tag.js';

/** One model `curate models` lists. */
export type ModelEntry = {
	/** Hub id or absolute folder. */
	readonly id: string;
	readonly kind: 'folder' | 'hub';
	readonly dir: string;
	readonly default: boolean;
	/** The model this library was last tagged with. */
	readonly library: boolean;
	/** All files present: works without a network. */
	readonly available: boolean;
	readonly missing: readonly string[];
	/** Whether downloads are forbidden (CURATE_OFFLINE=1). */
	readonly offline: boolean;
	/** Photos of this library embedded with it (when inside a library and the model is available). */
	readonly embeddings?: number;
};

/** Folders in the cache that hold a model (`org/name` or `name` with a config.json). */
function cachedModels(cacheDir: string): string[] {
	const found: string[] = [];
	const visit = (dir: string, id: string[], depth: number) => {
		let entries;
		try {
			entries = fs.readdirSync(dir, {withFileTypes: true});
		} catch {
			return;
		}

		if (id.length > 0 && entries.some(entry => entry.name === 'config.json')) {
			found.push(id.join('/'));
			return;
		}

		if (depth < 2) {
			for (const entry of entries.filter(entry => entry.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
				visit(path.join(dir, entry.name), [...id, entry.name], depth + 1);
			}
		}
	};

	visit(cacheDir, [], 0);
	return found;
}

/** What `curate models` shows: the default model, every cached model, and the library's model, with availability. */
export function listModels(options: {readonly library?: string | undefined; readonly cwd: string}): {cacheDir: string; offline: boolean; models: ModelEntry[]} {
	const cacheDir = modelCacheDir();
	const offline = offlineMode();
	let recorded: string | undefined;
	let counts = new Map<string, number>();
	try {
		const library = findLibrary(options);
		const catalog = Catalog.open(library.catalogPath, {readonly: true});
		try {
			recorded = catalog.setting(modelSetting);
			counts = new Map(EmbeddingStore.modelCounts(catalog).map(row => [row.model, row.count]));
		} finally {
			catalog.close();
		}
	} catch (error) {
		// Outside a library the listing still shows the default and cached models.
		if (options.library || !(error instanceof UserError)) {
			throw error;
		}
	}

	const ids = [...new Set([defaultModelId, ...cachedModels(cacheDir), ...(recorded ? [recorded] : [])])];
	const models = ids.map(id => {
		let source: ModelSource;
		try {
			source = resolveModel(id, {cwd: options.cwd});
		} catch {
			return {id, kind: 'folder', dir: id, default: false, library: id === recorded, available: false, missing: ['the folder'], offline} satisfies ModelEntry;
		}

		const available = source.missing.length === 0;
		const key = available ? modelKey(source) : undefined;
		return {
			id,
			kind: source.kind,
			dir: source.dir,
			default: id === defaultModelId,
			library: id === recorded,
			available,
			missing: source.missing,
			offline,
			...(key && counts.size > 0 ? {embeddings: counts.get(key) ?? 0} : {}),
		} satisfies ModelEntry;
	});
	return {cacheDir, offline, models};
}
