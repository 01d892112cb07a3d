/**
 * Where scan cached each photo's thumbnail, for the thumbnail check of duplicate finding (issue 15): asked for one
 * photo at a time, only for the few pairs the detail grids pass near their limit.
 */
import path from 'node:path';
import {connectionOf} from './connection.js';
import type {Catalog} from './catalog.js';

/** Thumbnail files of one catalog's photos, through a statement prepared once. */
export class ThumbnailPaths {
	private readonly statement;
	private readonly thumbsDir: string;

	constructor(catalog: Catalog) {
		const db = connectionOf(catalog);
		this.statement = db.prepare<[number], {thumb: string | null}>('SELECT thumb FROM files WHERE id = ?');
		// The catalog sits in the library's .curate folder, which the stored thumbnail paths are relative to.
		this.thumbsDir = path.join(path.dirname(db.name), 'thumbs');
	}

	/** The absolute path of this photo's cached thumbnail, or undefined when it has none (or a path that leaves the thumbnail folder). */
	path(id: number): string | undefined {
		const thumb = this.statement.get(id)?.thumb;
		if (!thumb) {
			return undefined;
		}

		const absolute = path.resolve(path.dirname(this.thumbsDir), thumb);
		return absolute.startsWith(this.thumbsDir + path.sep) ? absolute : undefined;
	}
}
