/**
 * Who asked (issue 20): the peer's address as seen, and the address the reverse proxy says it forwarded for, believed
 * only when the peer is the proxy named by `--trust-proxy` (anyone else can write any X-Forwarded-For).
 */
import net from 'node:net';

/** An address without the IPv4-mapped IPv6 prefix, so `::ffff:10.0.0.2` and `10.0.0.2` compare equal. */
export function plainAddress(address: string | undefined): string {
	if (!address) {
		return '';
	}

	return address.toLowerCase().startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address.toLowerCase();
}

/** What the log and the rate limit know of a request's origin. */
export type ClientAddresses = {
	readonly clientAddress: string;
	readonly forwardedAddress: string | null;
	/** The peer is the trusted proxy (so X-Forwarded-Proto may be believed too). */
	readonly viaProxy: boolean;
};

/**
 * The client of a request. X-Forwarded-For's last entry is the one the trusted proxy appended (the address it saw);
 * entries before it come from the client and prove nothing.
 */
export function clientOf(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: readonly string[]): ClientAddresses {
	const clientAddress = plainAddress(peer);
	const viaProxy = trustedProxies.includes(clientAddress);
	if (!viaProxy || forwardedFor === undefined) {
		return {clientAddress, forwardedAddress: null, viaProxy};
	}

	const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
	const last = plainAddress(header.split(',').at(-1)?.trim());
	return {clientAddress, forwardedAddress: net.isIP(last) ? last : null, viaProxy};
}

/** Parses `--trust-proxy`: one address or several separated by commas; throws a message for anything else. */
export function parseTrustedProxies(value: string | undefined): string[] {
	if (!value) {
		return [];
	}

	return value.split(',').map(part => {
		const address = plainAddress(part.trim());
		if (!net.isIP(address)) {
			throw new Error(`--trust-proxy takes the proxy's IP address (e.g. 127.0.0.1), not "${part.trim()}"`);
		}

		return address;
	});
}
