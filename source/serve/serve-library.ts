/**
 * `curate serve` for one library (issue 20): the flags checked, the catalog opened for records (no writer's lock: a
 * server runs for weeks beside every other command, and each access is one short transaction), the server started.
 */
import net from 'node:net';
import {ShareStore} from '../db/shares.js';
import {UserError} from '../errors.js';
import {type Library, openForRecords} from '../library.js';
import {checkBaseUrl, defaultShareSettings, loadShareSettings} from '../share/settings.js';
import {parseTrustedProxies} from './client.js';
import {startServer} from './server.js';
import type {AccessRecord} from './types.js';

/** The flags of `curate serve`, as given. */
export type ServeFlags = {
	readonly bind: string;
	readonly port: number;
	readonly baseUrl?: string | undefined;
	readonly trustProxy?: string | undefined;
};

/** A library being served. */
export type ServedLibrary = {
	readonly url: string;
	/** The public address when one was given, else `url`. */
	readonly publicUrl: string;
	/** Listening on an address other machines reach, without an HTTPS address in front. */
	readonly plainHttpOutside: boolean;
	/** `curate share` prints links to its default address (http://127.0.0.1:8080), which is not this server's. */
	readonly linksElsewhere: boolean;
	/** Stops the server, then closes the catalog. */
	readonly close: () => Promise<void>;
};

/** Whether `address` is reachable only from this machine. */
function isLoopback(address: string): boolean {
	return address === 'localhost' || address === '::1' || (net.isIPv4(address) && address.startsWith('127.'));
}

/** Checks the flags; each problem is one line for the user. */
export function checkServeFlags(flags: ServeFlags): {bind: string; port: number; baseUrl: string | undefined; trustedProxies: string[]} {
	if (!Number.isInteger(flags.port) || flags.port < 0 || flags.port > 65_535) {
		throw new UserError(`--port takes a port number from 0 to 65535, not ${String(flags.port)}`);
	}

	const bind = flags.bind.trim();
	if (bind === '') {
		throw new UserError('--bind takes the address to listen on, e.g. 127.0.0.1 or 0.0.0.0');
	}

	const baseUrl = flags.baseUrl === undefined ? undefined : checkBaseUrl(flags.baseUrl);
	try {
		return {bind, port: flags.port, baseUrl, trustedProxies: parseTrustedProxies(flags.trustProxy)};
	} catch (error) {
		throw new UserError((error as Error).message);
	}
}

/** Serves the shares of `library`; resolves once listening. */
export async function serveLibrary(
	library: Library,
	flags: ServeFlags,
	hooks: {readonly onAccess?: (record: AccessRecord) => void; readonly onError?: (error: unknown) => void} = {},
): Promise<ServedLibrary> {
	const checked = checkServeFlags(flags);
	const {bind, port, trustedProxies} = checked;
	// The address `curate share` gives out (share.baseUrl in the config) is the public one, unless --base-url says otherwise.
	const configured = loadShareSettings(library).baseUrl;
	const baseUrl = checked.baseUrl ?? (configured === defaultShareSettings.baseUrl ? undefined : configured);
	const catalog = openForRecords(library);
	try {
		const server = await startServer({root: library.root, store: new ShareStore(catalog), bind, port, baseUrl, trustedProxies, ...hooks});
		return {
			url: server.url,
			publicUrl: baseUrl ?? server.url,
			plainHttpOutside: !isLoopback(bind) && !baseUrl?.startsWith('https:'),
			linksElsewhere: baseUrl === undefined && server.url !== defaultShareSettings.baseUrl,
			async close() {
				try {
					await server.close();
				} finally {
					catalog.close();
				}
			},
		};
	} catch (error) {
		catalog.close();
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') {
			throw new UserError(`port ${port} on ${bind} is already in use; choose another with --port`);
		}

		if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
			throw new UserError(`cannot listen on ${bind}: not an address of this machine`);
		}

		if (code === 'EACCES') {
			throw new UserError(`port ${port} needs administrator rights; use a port above 1023 (8080) and a reverse proxy`);
		}

		throw error;
	}
}
