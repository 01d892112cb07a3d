/**
 * The access log's side of the server (issue 20): what each request turned out to be (its share, recipient, action and
 * item), noted by the routes as they learn it, and recorded once, under /s/, before the answer leaves.
 */
import type {FastifyReply, FastifyRequest} from 'fastify';
import {tokenPattern} from '../share/secret.js';
import {clientOf, type ClientAddresses} from './client.js';
import {plainPage} from './pages.js';
import type {AccessRecord, Share, ShareRecipient, ShareSource} from './types.js';

/** A share found by a token. */
export type Found = {share: Share; recipient?: ShareRecipient | undefined};

/** What a request turned out to be. */
type Note = {shareId: number | null; recipientId: number | null; action: AccessRecord['action']; itemName: string | null; client: ClientAddresses; recorded: boolean};

/** Notes and records the requests of one server. */
export class AccessLog {
	readonly #notes = new WeakMap<FastifyRequest, Note>();

	constructor(
		private readonly options: {
			readonly store: ShareSource;
			readonly trustedProxies: readonly string[];
			readonly now: () => Date;
			readonly onAccess?: ((record: AccessRecord) => void) | undefined;
			readonly onError?: ((error: unknown) => void) | undefined;
		},
	) {}

	/** Who sent `request` (the peer, and the forwarded address from the trusted proxy). */
	client(request: FastifyRequest): ClientAddresses {
		return this.#note(request).client;
	}

	/** Notes that `request` is for `found`'s share, asking for `action` (of `itemName`). */
	attribute(request: FastifyRequest, found: Found, action: AccessRecord['action'], itemName: string | null = null): void {
		Object.assign(this.#note(request), {shareId: found.share.id, recipientId: found.recipient?.id ?? null, action, itemName});
	}

	/** A token followed by anything the routes do not know (`/s/TOKEN/../x`, `/s/TOKEN/a/b/c`): noted against its share. */
	attributeByUrl(request: FastifyRequest): void {
		const token = /^\/s\/([^/?]+)/.exec(request.url)?.[1];
		const found = token && tokenPattern.test(token) ? this.options.store.findByToken(token) : undefined;
		if (found) {
			this.attribute(request, found, 'not-found');
		}
	}

	/**
	 * Records a request under /s/ (once). Returns undefined when it is recorded (or not one to record), or, when it
	 * could not be recorded, the page that replaces the answer (its status set to 503): no record, no photo.
	 */
	record(request: FastifyRequest, reply: FastifyReply): string | undefined {
		const path = request.url.split('?')[0] ?? '';
		const note = this.#note(request);
		if ((!path.startsWith('/s/') && path !== '/s') || note.recorded) {
			return undefined;
		}

		note.recorded = true;
		const access: AccessRecord = {
			at: this.options.now().toISOString(),
			shareId: note.shareId,
			recipientId: note.recipientId,
			clientAddress: note.client.clientAddress,
			forwardedAddress: note.client.forwardedAddress,
			userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
			method: request.method,
			path: request.url.slice(0, 2000),
			action: note.action,
			itemName: note.itemName,
			status: reply.statusCode,
		};
		try {
			this.options.store.recordAccess(access);
		} catch (error) {
			this.options.onError?.(error);
			void reply.code(503).type('text/html; charset=utf-8').removeHeader('content-length').removeHeader('content-disposition').removeHeader('etag');
			return plainPage('Not available', 'The server cannot record this visit just now; please try again later.');
		}

		this.options.onAccess?.(access);
		return undefined;
	}

	#note(request: FastifyRequest): Note {
		let note = this.#notes.get(request);
		if (!note) {
			const client = clientOf(request.socket.remoteAddress, request.headers['x-forwarded-for'], this.options.trustedProxies);
			note = {shareId: null, recipientId: null, action: 'not-found', itemName: null, client, recorded: false};
			this.#notes.set(request, note);
		}

		return note;
	}
}
