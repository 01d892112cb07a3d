/**
 * Share tokens and share passwords (issue 20). A token is 192 random bits in base64url (32 characters, safe in a URL
 * path); a password is kept only as its scrypt hash, `scrypt$N$r$p$salt$hash` (salt and hash base64url), and read from
 * a file, never from argv, where `ps` and the shell history would show it.
 */
import {randomBytes, scrypt, timingSafeEqual} from 'node:crypto';
import fs from 'node:fs';
import {UserError} from '../errors.js';

/** A new random token: 24 bytes (192 bits) from the system's CSPRNG, base64url. */
export function newToken(): string {
	return randomBytes(24).toString('base64url');
}

/** What a share or recipient token looks like: base64url, long enough to hold 128 bits. Anything else is not one. */
export const tokenPattern = /^[\w-]{22,64}$/;

const cost = {N: 2 ** 15, r: 8, p: 1};
const keyLength = 32;

async function derive(password: string, salt: Buffer, parameters: {N: number; r: number; p: number}): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		// scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that for N = 2^15, which it refuses.
		scrypt(password.normalize('NFC'), salt, keyLength, {...parameters, maxmem: 128 * parameters.N * parameters.r * 2}, (error, key) => {
			if (error) {
				reject(error);
			} else {
				resolve(key);
			}
		});
	});
}

/** Hashes a password for the catalog: `scrypt$32768$8$1$SALT$HASH`. */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await derive(password, salt, cost);
	return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches a stored `scrypt$…` hash (compared in constant time); false for a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') {
		return false;
	}

	const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
	if (![N, r, p].every(value => Number.isInteger(value) && value > 0) || N > 2 ** 20 || r > 32 || p > 16) {
		return false;
	}

	const expected = Buffer.from(parts[5]!, 'base64url');
	if (expected.length !== keyLength) {
		return false;
	}

	const key = await derive(password, Buffer.from(parts[4]!, 'base64url'), {N, r, p});
	return timingSafeEqual(key, expected);
}

/**
 * Reads a share password from a file: its first line, without the line ending (as `echo secret > f` writes it).
 * Empty, or over 1024 bytes (not a password file), is a UserError.
 */
export function readPasswordFile(file: string): string {
	let text: string;
	try {
		const stat = fs.statSync(file);
		if (!stat.isFile()) {
			throw new UserError(`--password-file ${file} is not a file`);
		}

		if (stat.size > 1024) {
			throw new UserError(`--password-file ${file} is ${stat.size} bytes; a password file holds one line`);
		}

		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		if (error instanceof UserError) {
			throw error;
		}

		throw new UserError(`cannot read --password-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}

	const password = text.split(/\r?\n/, 1)[0] ?? '';
	if (password.length === 0) {
		throw new UserError(`--password-file ${file} is empty: its first line is the password`);
	}

	return password;
}
