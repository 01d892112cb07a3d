/**
 * A real library for the server tests: a real catalog file, shares recorded through `ShareStore` with their copies
 * (real JPEGs from sharp) in `.curate/shares/<id>`, and a real server on 127.0.0.1, port 0.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import {Catalog} from '../../source/db/catalog.js';
import {type Share, ShareStore} from '../../source/db/shares.js';
import {hashPassword} from '../../source/share/secret.js';
import {type RunningServer, type ServeOptions, startServer} from '../../source/serve/server.js';
import {tempDir} from '../helpers/temp.js';

/** A library with a catalog and a running server. */
export type Fixture = {
	readonly root: string;
	readonly catalog: Catalog;
	readonly store: ShareStore;
	readonly server: RunningServer;
	readonly close: () => Promise<void>;
};

/** Starts a server over a fresh library. */
export async function serveFixture(options: Partial<ServeOptions> = {}): Promise<Fixture> {
	const root = tempDir('curate-serve-');
	const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'));
	const store = new ShareStore(catalog);
	const server = await startServer({root, store, bind: '127.0.0.1', port: 0, ...options});
	return {
		root,
		catalog,
		store,
		server,
		async close() {
			await server.close();
			catalog.close();
		},
	};
}

const token = () => randomBytes(24).toString('base64url');

/** Records a share of `count` generated photos and writes its copies. */
export async function addShare(
	fixture: Pick<Fixture, 'root' | 'store'>,
	options: {readonly title?: string; readonly expiresAt?: string; readonly password?: string; readonly allowDownload?: boolean; readonly count?: number} = {},
): Promise<{share: Share; names: string[]}> {
	const staging = fs.mkdtempSync(path.join(fixture.root, '.curate', 'staging-'));
	fs.mkdirSync(path.join(staging, 'large'));
	fs.mkdirSync(path.join(staging, 'thumbs'));
	const items = [];
	for (let index = 0; index < (options.count ?? 3); index++) {
		const name = `${String(index + 1).padStart(2, '0')}-photo.jpg`;
		const width = index % 2 === 0 ? 1200 : 800;
		const height = index % 2 === 0 ? 800 : 1200;
		// eslint-disable-next-line no-await-in-loop -- a few small files
		const large = await sharp({create: {width, height, channels: 3, background: {r: (index * 70) % 256, g: 120, b: 200 - ((index * 30) % 200)}}}).jpeg({quality: 80}).toBuffer();
		fs.writeFileSync(path.join(staging, 'large', name), large);
		// eslint-disable-next-line no-await-in-loop
		fs.writeFileSync(path.join(staging, 'thumbs', name), await sharp(large).resize(320, 320, {fit: 'inside'}).jpeg().toBuffer());
		items.push({name, fileId: null, width, height, bytes: large.length, sha256: `${'0'.repeat(63)}${index}`});
	}

	const share = fixture.store.create(
		{
			token: token(),
			title: options.title ?? 'Weekend at the lake',
			expiresAt: options.expiresAt ?? new Date(Date.now() + 3_600_000).toISOString(),
			passwordHash: options.password === undefined ? null : await hashPassword(options.password),
			allowDownload: options.allowDownload ?? false,
			maxSize: 1200,
			items,
		},
		created => {
			fs.mkdirSync(path.dirname(path.join(fixture.root, created.dir)), {recursive: true});
			fs.renameSync(staging, path.join(fixture.root, created.dir));
		},
	);
	return {share, names: items.map(item => item.name)};
}

/** One response. */
export type Response = {status: number; headers: http.IncomingHttpHeaders; body: Buffer; text: string};

/** A request with the path sent exactly as given (fetch would resolve `..` and re-encode before sending). */
export async function request(server: RunningServer, rawPath: string, options: {method?: string; headers?: Record<string, string>; body?: string} = {}): Promise<Response> {
	return new Promise((resolve, reject) => {
		const call = http.request({host: '127.0.0.1', port: server.port, path: rawPath, method: options.method ?? 'GET', headers: options.headers, agent: false}, response => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const body = Buffer.concat(chunks);
				resolve({status: response.statusCode!, headers: response.headers, body, text: body.toString('utf8')});
			});
			response.on('error', reject);
		});
		call.on('error', reject);
		call.end(options.body);
	});
}

/** Posts the password form. */
export async function login(server: RunningServer, token: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
	return request(server, `/s/${token}/login`, {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded', ...headers}, body: new URLSearchParams({password}).toString()});
}
