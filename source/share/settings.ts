import fs from 'node:fs';
import path from 'node:path';
import {configPath} from '../config.js';
import {type Library, UserError} from '../library.js';

/**
 * The `share` section of `.curate/config.json` (`{"share": {"baseUrl": "https://photos.example.net",
 * "logRetentionDays": 90}}`). Other keys of the section (the server's) are read by `curate serve`.
 */
export type ShareSettings = {
	/** Where visitors reach `curate serve`: links are `<baseUrl>/s/<token>`. */
	readonly baseUrl: string;
	/** Access-log entries older than this many days are purged (with the copies of shares closed that long). */
	readonly logRetentionDays: number;
};

/** Defaults: the server on this machine, a log kept 90 days. */
export const defaultShareSettings: ShareSettings = {baseUrl: 'http://127.0.0.1:8080', logRetentionDays: 90};

/** Checks a base URL (http or https, no query or fragment) and returns it without a trailing slash. */
export function checkBaseUrl(text: string, what = '--base-url'): string {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new UserError(`${what} must be a URL such as https://photos.example.net (got "${text}")`);
	}

	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
		throw new UserError(`${what} must be an http or https URL without a query, fragment or credentials (got "${text}")`);
	}

	return url.href.replace(/\/+$/, '');
}

/** Reads the share section; a wrong value is a UserError, because it decides what is purged and what link is given. */
export function loadShareSettings(library: Library): ShareSettings {
	const file = configPath(library);
	if (!fs.existsSync(file)) {
		return defaultShareSettings;
	}

	let section: unknown;
	try {
		section = (JSON.parse(fs.readFileSync(file, 'utf8')) as {share?: unknown})?.share;
	} catch (error) {
		throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
	}

	if (section === undefined) {
		return defaultShareSettings;
	}

	const {baseUrl = defaultShareSettings.baseUrl, logRetentionDays = defaultShareSettings.logRetentionDays} = section as {baseUrl?: unknown; logRetentionDays?: unknown};
	if (typeof baseUrl !== 'string') {
		throw new UserError(`${file}: share.baseUrl must be a URL`);
	}

	if (typeof logRetentionDays !== 'number' || !Number.isFinite(logRetentionDays) || logRetentionDays < 1) {
		throw new UserError(`${file}: share.logRetentionDays must be a number of days (1 or more)`);
	}

	return {baseUrl: checkBaseUrl(baseUrl, `${file}: share.baseUrl`), logRetentionDays};
}

/** The link of a token: `<baseUrl>/s/<token>`. */
export const shareLink = (baseUrl: string, token: string): string => `${baseUrl.replace(/\/+$/, '')}/s/${token}`;

/** The share area of a library, `.curate/shares`: nothing of sharing is ever written elsewhere. */
export const sharesDir = (library: Library): string => path.join(library.dir, 'shares');
