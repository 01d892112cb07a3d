import {randomUUID} from 'node:crypto';
import type Database from 'better-sqlite3';
import type {RuleInput} from '../core/tag-rules.js';
import {type TaxonomyTag, tagMatches} from '../core/taxonomy.js';
import {placeAlias} from '../core/place.js';
import {placeCondition} from './places.js';
import type {SearchQuery} from '../core/search-query.js';
import type {Catalog} from './catalog.js';
import {connectionOf} from './connection.js';
import {hasFaceTables, personFilter} from './faces.js';
import {type PendingImage, preparePendingImages} from './pending-images.js';

/** A photo content that has no embedding yet for a model: one file that holds it, and its cached thumbnail. */
export type {PendingImage} from './pending-images.js';

/** A tag as stored. */
export type StoredTag = {readonly tag: string; readonly confidence: number; readonly source: 'clip' | 'rule' | 'user'; readonly state: 'suggested' | 'confirmed' | 'rejected'};

/** A scored tag for one content. */
export type TagScore = {readonly sha256: string; readonly tag: string; readonly confidence: number};

/** Every stored embedding of one model, in one contiguous int8 matrix (row i belongs to `sha256s[i]`). */
export type EmbeddingMatrix = {
	readonly sha256s: string[];
	readonly scales: Float32Array;
	readonly matrix: Int8Array;
	readonly dimensions: number;
};

/** The catalog setting that stamps a model's embeddings (see `EmbeddingStore.vectorStamp`). */
const vectorStampKey = (model: string) => `ai.vectors:${model}`;

const likeEscape = (text: string) => `%${text.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;

/**
 * Embeddings and tags (issue 6), keyed by content SHA-256 so moves and renames keep them. Statements are prepared
 * once on the catalog's connection; batch writes are one transaction each, so an interrupted `curate tag` keeps
 * every batch it committed.
 */
export class EmbeddingStore {
	private readonly db: Database.Database;
	private readonly statements;

	constructor(readonly catalog: Catalog) {
		const db = connectionOf(catalog);
		this.db = db;
		this.statements = {
			pending: preparePendingImages(db, 'embeddings'),
			count: db.prepare<[string], {count: number; dimensions: number | null}>(
				`SELECT COUNT(*) AS count, MAX(dimensions) AS dimensions FROM embeddings e WHERE e.model = ?
				AND e.sha256 IN (SELECT sha256 FROM files WHERE status = 'present')`,
			),
			models: db.prepare<[], {model: string; count: number}>('SELECT model, COUNT(*) AS count FROM embeddings GROUP BY model ORDER BY model'),
			// No join with files: building the set of present contents cost more than the whole load. Contents no longer
			// present are dropped when results are turned into paths.
			matrix: db.prepare<[string], [string, number, Buffer]>('SELECT sha256, scale, vector FROM embeddings WHERE model = ?').raw(true),
			sorted: db.prepare<[string], [string, number, Buffer]>('SELECT sha256, scale, vector FROM embeddings WHERE model = ? ORDER BY sha256').raw(true),
			matrixSize: db.prepare<[string], {count: number; dimensions: number | null}>('SELECT COUNT(*) AS count, MAX(dimensions) AS dimensions FROM embeddings WHERE model = ?'),
			putEmbedding: db.prepare<{sha256: string; model: string; dimensions: number; scale: number; vector: Buffer; now: string}>(
				`INSERT INTO embeddings (sha256, model, dimensions, scale, vector, created_at) VALUES (@sha256, @model, @dimensions, @scale, @vector, @now)
				ON CONFLICT(model, sha256) DO UPDATE SET dimensions = excluded.dimensions, scale = excluded.scale, vector = excluded.vector, created_at = excluded.created_at`,
			),
			clearSuggested: db.prepare<[string, string]>("DELETE FROM tags WHERE sha256 = ? AND source = ? AND state = 'suggested'"),
			clearAllSuggested: db.prepare<[string]>("DELETE FROM tags WHERE source = ? AND state = 'suggested'"),
			// A tag the user confirmed or rejected keeps its state; only its confidence follows the new score. A new row
			// for a content and tag a person already decided (under another source) takes that decision (issue 7).
			putTag: db.prepare<{sha256: string; tag: string; source: string; confidence: number; model: string | null; now: string}>(
				`INSERT INTO tags (sha256, tag, source, state, confidence, model, updated_at) VALUES (@sha256, @tag, @source,
					COALESCE((SELECT d.state FROM tags d WHERE d.sha256 = @sha256 AND d.tag = @tag AND d.state != 'suggested' ORDER BY d.state = 'rejected' DESC LIMIT 1), 'suggested'),
					@confidence, @model, @now)
				ON CONFLICT(sha256, tag, source) DO UPDATE SET confidence = excluded.confidence, model = excluded.model, updated_at = excluded.updated_at`,
			),
			tagsOf: db.prepare<[string], StoredTag>("SELECT tag, confidence, source, state FROM tags WHERE sha256 = ? AND state != 'rejected' ORDER BY confidence DESC, tag"),
			tagNames: db.prepare<[], {tag: string}>('SELECT DISTINCT tag FROM tags'),
			// Place tags from GPS (issue 17) are not tagging: without AI or user tags, tag: terms stay a clear error.
			anyTag: db.prepare<[], number>("SELECT 1 FROM tags WHERE state != 'rejected' AND NOT (source = 'rule' AND tag LIKE 'places/%') LIMIT 1").pluck(),
			tagCounts: db.prepare<[], {tag: string; count: number}>(
				`SELECT t.tag AS tag, COUNT(DISTINCT t.sha256) AS count FROM tags t WHERE t.state != 'rejected'
				AND t.sha256 IN (SELECT sha256 FROM files WHERE status = 'present') GROUP BY t.tag ORDER BY count DESC, t.tag`,
			),
			ruleInputs: db.prepare<[], RuleInput>(`SELECT sha256, path, format, width, height, make, software, taken_at AS takenAt, taken_at_source AS takenAtSource,
				lens, model, kind, burst_id AS burstId, live_photo_id AS livePhotoId
				FROM files WHERE status = 'present' AND sha256 IS NOT NULL AND kind IN ('image', 'raw', 'video') ORDER BY path`),
		};
	}

	/** Contents among present photos that lack an embedding for `model`, one file each (in path order). */
	pendingImages(model: string): PendingImage[] {
		return this.statements.pending.all(model);
	}

	/** How many present contents have an embedding for `model`, and its width. */
	embeddedCount(model: string): {count: number; dimensions: number | null} {
		return this.statements.count.get(model)!;
	}

	/**
	 * Models with stored embeddings and how many each, read from any catalog: one older than the embeddings table
	 * (opened read-only, so never migrated) has none.
	 */
	static modelCounts(catalog: Catalog): Array<{model: string; count: number}> {
		const db = connectionOf(catalog);
		return db.prepare("SELECT name FROM sqlite_schema WHERE name = 'embeddings'").get() ? new EmbeddingStore(catalog).models() : [];
	}

	/** Models with stored embeddings and how many each. */
	models(): Array<{model: string; count: number}> {
		return this.statements.models.all();
	}

	/**
	 * One batch in one transaction: the embeddings, and the CLIP tags of those contents (their earlier suggestions
	 * are replaced; confirmed and rejected tags stay).
	 */
	commitBatch(model: string, embeddings: ReadonlyArray<{readonly sha256: string; readonly scale: number; readonly bytes: Int8Array}>, tags: readonly TagScore[]): void {
		const now = new Date().toISOString();
		this.db.transaction(() => {
			for (const row of embeddings) {
				this.statements.putEmbedding.run({sha256: row.sha256, model, dimensions: row.bytes.length, scale: row.scale, vector: Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength), now});
				this.statements.clearSuggested.run(row.sha256, 'clip');
			}

			for (const tag of tags) {
				this.statements.putTag.run({...tag, source: 'clip', model, now});
			}

			if (embeddings.length > 0) {
				this.catalog.setSetting(vectorStampKey(model), randomUUID());
			}
		})();
	}

	/**
	 * A token that changes whenever the embeddings of `model` do (every committed batch), so a vector cache file can
	 * tell it is stale without counting a million rows. "none" before the first commit that set one.
	 */
	vectorStamp(model: string): string {
		return this.catalog.setting(vectorStampKey(model)) ?? 'none';
	}

	/** Every stored embedding of `model` as `[sha256, scale, int8 bytes]`, in SHA-256 order (the primary key's). */
	sortedVectors(model: string): IterableIterator<[string, number, Buffer]> {
		return this.statements.sorted.iterate(model);
	}

	/** How many embeddings `model` has (present or not) and their width. */
	vectorCount(model: string): {count: number; dimensions: number} {
		const {count, dimensions} = this.statements.matrixSize.get(model)!;
		return {count, dimensions: dimensions ?? 0};
	}

	/** Replaces the CLIP suggestions of `sha256s` with `tags` (a re-score after the taxonomy changed). */
	replaceClipTags(model: string, sha256s: readonly string[], tags: readonly TagScore[]): void {
		const now = new Date().toISOString();
		this.db.transaction(() => {
			for (const sha256 of sha256s) {
				this.statements.clearSuggested.run(sha256, 'clip');
			}

			for (const tag of tags) {
				this.statements.putTag.run({...tag, source: 'clip', model, now});
			}
		})();
	}

	/** Replaces every suggested rule tag with `tags`. */
	replaceRuleTags(tags: readonly TagScore[]): void {
		const now = new Date().toISOString();
		this.db.transaction(() => {
			this.statements.clearAllSuggested.run('rule');
			for (const tag of tags) {
				this.statements.putTag.run({...tag, source: 'rule', model: null, now});
			}
		})();
	}

	/** What the metadata rules look at, for every present file. */
	ruleInputs(): RuleInput[] {
		return this.statements.ruleInputs.all();
	}

	/**
	 * Every stored embedding of `model` (present or not: callers drop contents without a present file), loaded with
	 * one query straight into one contiguous int8 matrix (no per-row objects kept), which keeps a million-photo
	 * search fast.
	 */
	loadMatrix(model: string): EmbeddingMatrix {
		const {count, dimensions} = this.statements.matrixSize.get(model)!;
		const width = dimensions ?? 0;
		const sha256s: string[] = [];
		const scales = new Float32Array(count);
		const matrix = new Int8Array(count * width);
		let row = 0;
		for (const [sha256, scale, vector] of this.statements.matrix.iterate(model)) {
			if (row >= count || vector.length !== width) {
				continue;
			}

			sha256s.push(sha256);
			scales[row] = scale;
			matrix.set(new Int8Array(vector.buffer, vector.byteOffset, width), row * width);
			row++;
		}

		return {sha256s, scales: scales.subarray(0, row), matrix: matrix.subarray(0, row * width), dimensions: width};
	}

	/** Tags of one content, best first (rejected ones left out). */
	tagsOf(sha256: string): StoredTag[] {
		return this.statements.tagsOf.all(sha256);
	}

	/** Whether any content has a tag from tagging or a person, places from GPS aside (cheap, unlike `tagCounts`). */
	hasTags(): boolean {
		return this.statements.anyTag.get() !== undefined;
	}

	/** Each tag and how many present contents carry it. */
	tagCounts(): Array<{tag: string; count: number}> {
		return this.statements.tagCounts.all();
	}

	/**
	 * Present files that pass the query's filters: `(path, sha256)` rows, newest capture first, at most `limit`
	 * (all when absent). Tag filters match full names, parent levels, last parts and taxonomy aliases.
	 */
	filteredFiles(query: SearchQuery, taxonomy: readonly TaxonomyTag[], limit?: number): Array<{path: string; sha256: string}> {
		const where = this.filterWhere(query, taxonomy);
		if (!where) {
			return [];
		}

		const sql = `SELECT f.path AS path, f.sha256 AS sha256 FROM files f WHERE ${where.sql}
			ORDER BY f.taken_at DESC, f.path${limit === undefined ? '' : ' LIMIT ?'}`;
		return this.db.prepare<unknown[], {path: string; sha256: string}>(sql).all(...where.parameters, ...(limit === undefined ? [] : [limit]));
	}

	/** The distinct contents of present files that pass the query's filters, in SHA-256 order (a vector cache's). */
	filteredContents(query: SearchQuery, taxonomy: readonly TaxonomyTag[]): string[] {
		const where = this.filterWhere(query, taxonomy);
		if (!where) {
			return [];
		}

		return this.db.prepare<unknown[], string>(`SELECT DISTINCT f.sha256 FROM files f WHERE ${where.sql} ORDER BY f.sha256`).pluck().all(...where.parameters);
	}

	/** The WHERE clause of the query's filters over `files f`, or undefined when a tag filter can match nothing. */
	private filterWhere(query: SearchQuery, taxonomy: readonly TaxonomyTag[]): {sql: string; parameters: unknown[]} | undefined {
		// `+f.status`: the status index holds nearly every file, and without ANALYZE statistics SQLite would walk it
		// instead of the capture-time index a year: filter can use.
		const where = ["+f.status = 'present'", 'f.sha256 IS NOT NULL'];
		const parameters: unknown[] = [];
		const names = query.tags.length > 0 ? this.statements.tagNames.all().map(row => row.tag) : [];
		for (const wanted of query.tags) {
			const matching = names.filter(name => tagMatches(name, wanted, taxonomy));
			if (matching.length === 0) {
				return undefined;
			}

			where.push(`f.sha256 IN (SELECT sha256 FROM tags WHERE state != 'rejected' AND tag IN (${matching.map(() => '?').join(', ')}))`);
			parameters.push(...matching);
		}

		if (query.persons?.length) {
			// person:NAME (issue 19): a catalog without face tables has no named faces.
			if (!hasFaceTables(this.catalog)) {
				return undefined;
			}

			for (const person of query.persons) {
				where.push(personFilter);
				parameters.push(person);
			}
		}

		if (query.years.length > 0) {
			// A range on the ISO text (`2019` <= taken_at < `2020`) rather than a function of it, so the index serves it.
			where.push(`(${query.years.map(() => 'f.taken_at >= ? AND f.taken_at < ?').join(' OR ')})`);
			parameters.push(...query.years.flatMap(([from, to]) => [String(from).padStart(4, '0'), to >= 9999 ? '9999\uffff' : String(to + 1).padStart(4, '0')]));
		}

		for (const camera of query.cameras) {
			where.push("lower(coalesce(f.make, '') || ' ' || coalesce(f.model, '')) LIKE ? ESCAPE '\\'");
			parameters.push(likeEscape(camera));
		}

		for (const part of query.paths) {
			where.push("lower(f.path) LIKE ? ESCAPE '\\'");
			parameters.push(likeEscape(part));
		}

		for (const term of query.places ?? []) {
			const place = placeCondition(placeAlias(term, taxonomy));
			where.push(place.sql);
			parameters.push(...place.parameters);
		}

		return {sql: where.join(' AND '), parameters};
	}
}
