/** Sends one of a share's copies (issue 20): opened safely, revalidated by its SHA-256, a download as an attachment. */
import path from 'node:path';
import type {FastifyReply, FastifyRequest} from 'fastify';
import {openCopy} from './files.js';
import type {Share, ShareItem} from './types.js';

const types: Record<string, string> = {
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.png': 'image/png',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.gif': 'image/gif',
	'.heic': 'image/heic',
	'.tif': 'image/tiff',
	'.tiff': 'image/tiff',
};

/** `attachment` with the name as given (RFC 6266: an ASCII fallback and the UTF-8 original). */
function attachment(name: string): string {
	const ascii = name.replaceAll(/[^\u0020-\u007E]|["\\]/g, '_');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Sends `kind/NAME` of `share`, or returns false (nothing sent) when the file is missing or unsafe. Browsers revalidate
 * each time (`no-cache` with an ETag), so every view still reaches the server and its log, at the cost of a 304.
 */
export async function sendCopy(
	request: FastifyRequest,
	reply: FastifyReply,
	options: {readonly root: string; readonly share: Share; readonly item: ShareItem; readonly kind: 'large' | 'thumbs'; readonly attachment: boolean},
): Promise<boolean> {
	const {item} = options;
	const opened = await openCopy(options.root, options.share.dir, options.kind, item.name);
	if (typeof opened === 'string') {
		return false;
	}

	// The large copy's SHA-256 (its thumbnail is made from it), or, for a row without one, its size and time.
	const etag = `"${options.kind === 'thumbs' ? 't' : 'l'}-${item.sha256 ?? `${opened.size}-${opened.mtimeMs}`}"`;
	void reply
		.header('content-type', types[path.extname(item.name).toLowerCase()] ?? 'application/octet-stream')
		.header('cache-control', 'private, no-cache')
		.header('etag', etag);
	if (options.attachment) {
		void reply.header('content-disposition', attachment(item.name));
	}

	const matches = request.headers['if-none-match']?.split(',').some(tag => tag.trim() === etag) ?? false;
	if (matches || request.method === 'HEAD') {
		await opened.handle.close();
		if (request.method === 'HEAD') {
			void reply.header('content-length', String(opened.size));
		}

		await reply.code(matches ? 304 : 200).send();
		return true;
	}

	void reply.header('content-length', String(opened.size));
	await reply.code(200).send(opened.handle.createReadStream());
	return true;
}
