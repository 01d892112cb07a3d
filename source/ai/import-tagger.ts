import {type Embedder, loadEmbedder} from '../adapters/embedder.js';
import {sanitize} from '../core/sanitize.js';
import type {Catalog} from '../db/catalog.js';
import {EmbeddingStore} from '../db/embeddings.js';
import type {Library} from '../library.js';
import {modelSetting, tagLibrary} from './tag.js';
import {loadTaxonomy} from './taxonomy-file.js';

/**
 * Tags what `curate watch` imported (issue 8: "imports it, and tags it when a model is available"). The model is the
 * one the library was tagged with (`ai.model`), loaded once per session and only from disk: a watch never
 * downloads. No recorded model means no tagging; a model that fails to load, or a tagging run that fails, is logged
 * (once per distinct reason, as is each file that cannot be tagged) and never fails the import, which is already committed when this runs.
 */
export class ImportTagger {
	private embedder: Embedder | undefined;
	private loadedSpec: string | undefined;
	private readonly reported = new Set<string>();

	constructor(
		private readonly library: Library,
		private readonly log: (line: string) => void,
	) {}

	/** Embeds and tags every present photo without an embedding for the library's model (the new imports). */
	async tagNew(catalog: Catalog, signal?: AbortSignal): Promise<void> {
		const spec = catalog.setting(modelSetting);
		if (!spec) {
			this.once('no AI model recorded for this library (run curate tag once to choose one); imported files are not tagged');
			return;
		}

		try {
			const embedder = await this.load(spec);
			const taxonomy = loadTaxonomy(this.library, {cwd: this.library.root, create: false});
			const summary = await tagLibrary(this.library, new EmbeddingStore(catalog), embedder, taxonomy, {...(signal ? {signal} : {})});
			if (summary.embedded > 0) {
				this.log(`tagged ${summary.embedded} ${summary.embedded === 1 ? 'photo' : 'photos'} with ${sanitize(summary.model)}`);
			}

			// A broken file stays untagged and is tried again every round; saying so once per session is enough.
			for (const error of summary.errors) {
				this.once(`not tagged ${sanitize(error.path)}: ${sanitize(error.error)}`);
			}
		} catch (error) {
			this.once(`tagging skipped, the import stands: ${sanitize(error instanceof Error ? error.message : String(error))}`);
		}
	}

	/** Frees the model. */
	async dispose(): Promise<void> {
		await this.embedder?.dispose();
		this.embedder = undefined;
	}

	private async load(spec: string): Promise<Embedder> {
		if (this.embedder && this.loadedSpec === spec) {
			return this.embedder;
		}

		await this.dispose();
		this.embedder = await loadEmbedder(spec, {cwd: this.library.root, offline: true});
		this.loadedSpec = spec;
		return this.embedder;
	}

	private once(line: string): void {
		if (!this.reported.has(line)) {
			this.reported.add(line);
			this.log(line);
		}
	}
}
