/**
 * Where scan cached each photo's thumbnail, for the thumbnail check of duplicate finding (issue 15). Verification reads
 * the stored path with the detail grids (source/db/dupes-data.ts); it is placed here only for the few pairs the grids
 * pass near their limit.
 */
import path from 'node:path';
import {connectionOf} from './connection.js';
import type {Catalog} from './catalog.js';

/** Thumbnail files of one catalog's photos. */
export class ThumbnailPaths {
	private readonly thumbsDir: string;

	constructor(catalog: Catalog) {
		// The catalog sits in the library's .curate folder, which the stored thumbnail paths are relative to.
		this.thumbsDir = path.join(path.dirname(connectionOf(catalog).name), 'thumbs');
	}

	/** The absolute path of a thumbnail path as the catalog stores it, or undefined for one that leaves the thumbnail folder. */
	place(thumb: string): string | undefined {
		const absolute = path.resolve(path.dirname(this.thumbsDir), thumb);
		return absolute.startsWith(this.thumbsDir + path.sep) ? absolute : undefined;
	}
}
