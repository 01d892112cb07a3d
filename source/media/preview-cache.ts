/**
 * Large previews for the review screen's `enter` view (issue 5): a bounded JPEG rendered from the original (sharp;
 * libheif for HEIC; the embedded preview for RAW) and cached under `.curate/previews/` by SHA-256, because the scan's
 * 320 px thumbnail looks blurred at a terminal's full size in kitty or iTerm2 graphics.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {Format, MediaKind} from '../core/types.js';
import {canRender, render} from './render.js';
import {writeFileInside} from '../safe-path.js';

/** Long side of a cached preview: sharper than any terminal window shows at once, small enough to send over SSH. */
export const previewSize = 1200;

/** The photo a preview is made from. */
export type PreviewSource = {
	/** Absolute path of the original. */
	readonly absolute: string;
	/** Its catalogued SHA-256: the cache key, and checked so a changed file never gets another file's preview. */
	readonly sha256: string;
	readonly format: Format;
	readonly kind: MediaKind;
	readonly orientation: number | null;
};

let writes = 0;

/** Bounded previews cached in `dir` (normally `.curate/previews`), one JPEG per content. */
export class PreviewCache {
	constructor(
		private readonly dir: string,
		private readonly size = previewSize,
	) {}

	/** Where the preview of this content is (or would be) cached. */
	pathFor(sha256: string): string {
		return path.join(this.dir, sha256.slice(0, 2), `${sha256}.jpg`);
	}

	/** The cached preview's path, rendering it first when missing. Rejects for videos and unreadable or changed files. */
	async ensure(source: PreviewSource): Promise<string> {
		const cached = this.pathFor(source.sha256);
		if (fs.existsSync(cached)) {
			return cached;
		}

		if (!canRender(source)) {
			throw new Error(`no preview for ${source.kind === 'video' ? 'a video' : source.format}`);
		}

		const buffer = await fs.promises.readFile(source.absolute);
		if (createHash('sha256').update(buffer).digest('hex') !== source.sha256) {
			throw new Error('the file changed since the last scan');
		}

		const {data} = await render(source, buffer, {maxSize: this.size, format: 'jpeg', quality: 85});
		// Written under a temporary name, then renamed: a preview is never seen half-written. `dir` is
		// `<library>/.curate/previews`: no folder on the way may be a link out of the library (issue 13).
		await writeFileInside(path.dirname(path.dirname(this.dir)), cached, data, `.${process.pid}-${++writes}.tmp`);
		return cached;
	}
}
