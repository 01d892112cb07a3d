/**
 * `curate serve`'s engine (issue 20): a fastify server that answers only under `/s/<token>` and answers there only
 * from the share's own copies, found by name in the catalog's item rows. Fastify rather than bare node:http: it keeps
 * the parts easy to get wrong (URL parsing and decoding, request and body limits, keep-alive and a prompt close,
 * streaming with back-pressure) in a maintained, widely used code base, with an explicit router and request hooks
 * that let one place record every request; @fastify/cookie (same maintainers) signs the session cookies.
 */
import {randomBytes} from 'node:crypto';
import Fastify, {type FastifyReply, type FastifyRequest} from 'fastify';
import fastifyCookie from '@fastify/cookie';
import {contentSecurityPolicy} from './assets.js';
import {AccessLog, type Found} from './access.js';
import {galleryPage, passwordPage, plainPage} from './pages.js';
import {AttemptLimiter, checkPassword, maxAttempts} from './password.js';
import {sendCopy} from './send-copy.js';
import {shareState} from '../db/shares.js';
import {tokenPattern} from '../share/secret.js';
import type {AccessRecord, Share, ShareSource} from './types.js';

/** How `curate serve` is set up. */
export type ServeOptions = {
	/** The library root, which share folders are relative to. */
	readonly root: string;
	readonly store: ShareSource;
	readonly bind: string;
	/** 0 picks a free port. */
	readonly port: number;
	/** The public address in front of the server (`https://photos.example.org`), when there is a proxy. */
	readonly baseUrl?: string | undefined;
	/** Addresses of the reverse proxy whose X-Forwarded-For is believed. */
	readonly trustedProxies?: readonly string[];
	/** Told each access once recorded (the command prints a line). */
	readonly onAccess?: (record: AccessRecord) => void;
	/** Told what goes wrong inside (a failed record, an unexpected error). */
	readonly onError?: (error: unknown) => void;
	/** The clock (tests). */
	readonly now?: () => Date;
	/** The password attempt limiter (tests). */
	readonly limiter?: AttemptLimiter;
};

/** A listening server. */
export type RunningServer = {
	/** Where it listens, `http://127.0.0.1:8080`. */
	readonly url: string;
	readonly port: number;
	/** Stops accepting, ends open connections and waits for the requests under way. */
	readonly close: () => Promise<void>;
};

const kinds = {thumb: 'thumb', large: 'view', download: 'download'} as const;

/** On every answer: the policy, no referrer, no sniffing, no framing, no indexing; pages are never cached. */
const securityHeaders = {
	'content-security-policy': contentSecurityPolicy,
	'referrer-policy': 'no-referrer',
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'x-robots-tag': 'noindex, nofollow',
	'cross-origin-resource-policy': 'same-origin',
	'cache-control': 'no-store',
};

/** Starts the server and resolves once it listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
	const now = options.now ?? (() => new Date());
	const limiter = options.limiter ?? new AttemptLimiter();
	const trusted = options.trustedProxies ?? [];
	const secureCookies = options.baseUrl?.startsWith('https:') ?? false;
	const log = new AccessLog({store: options.store, trustedProxies: trusted, now, onAccess: options.onAccess, onError: options.onError});
	const app = Fastify({
		logger: false,
		bodyLimit: 16 * 1024,
		requestTimeout: 30_000,
		routerOptions: {maxParamLength: 1000},
		forceCloseConnections: true,
		return503OnClosing: true,
		// A URL that does not even decode is, like any other unknown URL, not found (and recorded if under /s/).
		// Fastify answers these before its hooks run, so the record is made here.
		frameworkErrors(_error, request, reply) {
			log.attributeByUrl(request);
			void (reply as FastifyReply).headers(securityHeaders).code(404).type('text/html; charset=utf-8');
			void log.record(request, reply as FastifyReply).then(refused => (reply as FastifyReply).send(refused ?? plainPage('Not found', 'There is nothing at this address.')));
		},
	});
	// A session lasts as long as this server: the secret is new each start, so a restart asks for passwords again.
	await app.register(fastifyCookie, {secret: randomBytes(32)});
	app.addContentTypeParser('application/x-www-form-urlencoded', {parseAs: 'string'}, (_request, body, done) => {
		done(null, new URLSearchParams(String(body)));
	});

	app.addHook('onRequest', async (request, reply) => {
		log.client(request);
		void reply.headers(securityHeaders);
	});

	// Every request under /s/ is recorded before its answer leaves: a photo whose access cannot be recorded is not sent.
	app.addHook('onSend', async (request, reply, payload) => {
		const refused = await log.record(request, reply);
		if (refused === undefined) {
			return payload;
		}

		(payload as {destroy?: () => void} | null)?.destroy?.();
		return refused;
	});

	app.setErrorHandler(async (error, request, reply) => {
		const status = (error as {statusCode?: number}).statusCode ?? 500;
		if (status >= 500) {
			options.onError?.(error);
		}

		return reply
			.code(status >= 400 && status < 600 ? status : 500)
			.type('text/html; charset=utf-8')
			.send(plainPage(status >= 500 ? 'Something went wrong' : 'Bad request', status >= 500 ? 'Please try again later.' : 'The request could not be understood.'));
	});

	app.setNotFoundHandler(async (request, reply) => {
		log.attributeByUrl(request);
		return notFound(reply);
	});

	const notFound = async (reply: FastifyReply) => reply.code(404).type('text/html; charset=utf-8').send(plainPage('Not found', 'There is nothing at this address.'));

	/** The share behind a token, or undefined (answered 404). */
	function lookUp(token: string) {
		return tokenPattern.test(token) ? options.store.findByToken(token) : undefined;
	}

	/** Why the share cannot be shown at all: revoked (the share, or the recipient's token) or expired. */
	function gone(found: Found): string | undefined {
		const state = shareState(found.share, found.recipient, now());
		return state === 'revoked' ? 'This link has been withdrawn by the person who shared it.' : state === 'expired' ? 'This link has expired.' : undefined;
	}

	const cookieName = (share: Share) => `curate-share-${share.id}`;
	const sessionValue = (share: Share, token: string) => `${share.id}:${token}`;

	function hasSession(request: FastifyRequest, share: Share, token: string): boolean {
		if (!share.passwordHash) {
			return true;
		}

		const cookie = request.cookies[cookieName(share)];
		if (!cookie) {
			return false;
		}

		const unsigned = request.unsignCookie(cookie);
		return unsigned.valid && unsigned.value === sessionValue(share, token);
	}

	const prefixOf = (request: FastifyRequest, token: string) => ((request.url.split('?')[0] ?? '').endsWith('/') ? '' : `${token}/`);
	const titleOf = (share: Share) => share.title?.trim() || 'Shared photos';
	const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);

	async function gallery(request: FastifyRequest<{Params: {token: string}}>, reply: FastifyReply) {
		const {token} = request.params;
		const found = lookUp(token);
		if (!found) {
			return notFound(reply);
		}

		const {share} = found;
		log.attribute(request, found, 'gallery');
		const reason = gone(found);
		if (reason) {
			return html(reply, 410, plainPage('Link no longer valid', reason));
		}

		const prefix = prefixOf(request, token);
		if (!hasSession(request, share, token)) {
			log.attribute(request, found, 'login');
			return html(reply, 401, passwordPage({title: titleOf(share), prefix}));
		}

		const items = options.store.items(share.id);
		return html(reply, 200, galleryPage({title: titleOf(share), items, expiresAt: share.expiresAt, allowDownload: share.allowDownload, prefix}));
	}

	app.get('/s/:token', gallery);
	app.get('/s/:token/', gallery);

	app.post('/s/:token/login', async (request: FastifyRequest<{Params: {token: string}}>, reply) => {
		const {token} = request.params;
		const found = lookUp(token);
		if (!found) {
			return notFound(reply);
		}

		const {share} = found;
		log.attribute(request, found, 'login');
		const reason = gone(found);
		if (reason) {
			return html(reply, 410, plainPage('Link no longer valid', reason));
		}

		// From the login URL, `./` is the gallery with a trailing slash.
		if (!share.passwordHash) {
			return reply.code(303).header('location', './').send();
		}

		const client = log.client(request);
		const key = `${share.id}|${client.forwardedAddress ?? client.clientAddress}`;
		const wait = limiter.wait(key);
		if (wait > 0) {
			const minutes = Math.ceil(wait / 60_000);
			return html(reply.header('retry-after', String(Math.ceil(wait / 1000))), 429, plainPage('Too many attempts', `${maxAttempts} wrong passwords in a row; try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`));
		}

		const body = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
		const password = body.get('password') ?? '';
		if (password === '' || !(await checkPassword(password, share.passwordHash))) {
			limiter.fail(key);
			return html(reply, 401, passwordPage({title: titleOf(share), prefix: '', message: 'That password is not right.'}));
		}

		// No Path: the browser scopes it to /s/TOKEN (or the proxy's prefix before it); no Expires: it ends with the browser session.
		const secure = secureCookies || (client.viaProxy && request.headers['x-forwarded-proto'] === 'https');
		void reply.setCookie(cookieName(share), sessionValue(share, token), {signed: true, httpOnly: true, sameSite: 'strict', secure, path: undefined});
		return reply.code(303).header('location', './').send();
	});

	app.get('/s/:token/:kind/:name', async (request: FastifyRequest<{Params: {token: string; kind: string; name: string}}>, reply) => {
		const {token, kind, name} = request.params;
		const found = lookUp(token);
		if (!found || !Object.hasOwn(kinds, kind)) {
			if (found) {
				log.attribute(request, found, 'not-found', name);
			}

			return notFound(reply);
		}

		const {share} = found;
		const action = kinds[kind as keyof typeof kinds];
		log.attribute(request, found, action, name);
		const reason = gone(found);
		if (reason) {
			return html(reply, 410, plainPage('Link no longer valid', reason));
		}

		if (!hasSession(request, share, token)) {
			log.attribute(request, found, 'denied', name);
			return html(reply, 401, plainPage('Password needed', 'Open the link of the photos and give the password first.'));
		}

		const item = options.store.item(share.id, name);
		if (!item) {
			log.attribute(request, found, 'not-found', name);
			return notFound(reply);
		}

		if (action === 'download' && !share.allowDownload) {
			log.attribute(request, found, 'denied', name);
			return html(reply, 403, plainPage('Download not allowed', 'These photos can be viewed but not downloaded.'));
		}

		const sent = await sendCopy(request, reply, {root: options.root, share, item, kind: action === 'thumb' ? 'thumbs' : 'large', attachment: action === 'download'});
		if (!sent) {
			// Missing, or not a plain file inside the share's folder (a symlink planted there): nothing to see.
			log.attribute(request, found, 'not-found', name);
			return notFound(reply);
		}

		return reply;
	});

	const address = await app.listen({host: options.bind, port: options.port});
	const port = (app.server.address() as {port: number}).port;
	return {url: address, port, close: async () => app.close()};
}
