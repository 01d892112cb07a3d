/**
 * The access log's side of the server (issue 20): what each request turned out to be (its share, recipient, action and
 * item), noted by the routes as they learn it, and recorded once, under /s/, before the answer leaves: the requests
 * of one turn of the event loop in one fully synced commit.
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
	/** Requests waiting for the next commit, in the order they came. */
	readonly #pending: Array<{readonly access: AccessRecord; readonly done: (recorded: boolean) => void}> = [];

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
	 * Records a request under /s/ (once). Resolves to undefined when it is recorded (or not one to record), or, when it
	 * could not be recorded, to the page that replaces the answer (its status set to 503): no record, no photo.
	 *
	 * The answer waits for the commit, fully synced as every catalog commit is (so it holds through a power cut), but
	 * the requests that reach this point in one turn of the event loop share one commit (group commit): a sync takes
	 * milliseconds, during which the requests of a gallery's thumbnails arrive, and they no longer queue for one each.
	 */
	async record(request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> {
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
		const recorded = await new Promise<boolean>(resolve => {
			this.#pending.push({access, done: resolve});
			if (this.#pending.length === 1) {
				setImmediate(() => {
					this.#commit();
				});
			}
		});
		if (!recorded) {
			void reply.code(503).type('text/html; charset=utf-8').removeHeader('content-length').removeHeader('content-disposition').removeHeader('etag');
			return plainPage('Not available', 'The server cannot record this visit just now; please try again later.');
		}

		this.options.onAccess?.(access);
		return undefined;
	}

	/** Commits every waiting request in one transaction; each answer leaves only after it. */
	#commit(): void {
		const batch = this.#pending.splice(0);
		let recorded = true;
		try {
			this.options.store.recordAccesses(batch.map(waiting => waiting.access));
		} catch (error) {
			recorded = false;
			this.options.onError?.(error);
		}

		for (const waiting of batch) {
			waiting.done(recorded);
		}
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
