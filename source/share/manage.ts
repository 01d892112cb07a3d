/**
 * Everything `curate share` does after a share is made (issue 20): list, revoke, extend, recipients, the access log
 * and its purge. Revoking removes the copies at once (a revoked link never opens again); an expired share keeps them
 * until it has been closed for the log's retention, since `extend` can open it again.
 */
import fs from 'node:fs';
import path from 'node:path';
import {type Share, type ShareAccess, type ShareRecipient, type ShareState, ShareStore, type ShareSummary, shareState} from '../db/shares.js';
import type {Catalog} from '../db/catalog.js';
import {sanitize} from '../core/sanitize.js';
import {UserError} from '../errors.js';
import type {Library} from '../library.js';
import {checkInside} from '../safe-path.js';
import {maxDurationMs} from './duration.js';
import {newToken} from './secret.js';
import {shareLink, sharesDir} from './settings.js';

/** A share as `curate share list` shows it. */
export type ListedShare = Omit<ShareSummary, 'passwordHash'> & {
	readonly state: ShareState;
	readonly password: boolean;
	readonly link: string;
	readonly recipientLinks: ReadonlyArray<Pick<ShareRecipient, 'id' | 'name' | 'createdAt' | 'revokedAt'> & {readonly link: string}>;
};

/** Parses a share number given on the command line. */
export function parseShareId(text: string | undefined, usage: string): number {
	if (text === undefined) {
		throw new UserError(`which share? ${usage} (curate share list shows the numbers)`);
	}

	if (!/^\d{1,12}$/.test(text) || Number(text) === 0) {
		throw new UserError(`"${text}" is not a share number (curate share list shows them)`);
	}

	return Number(text);
}

function existing(store: ShareStore, id: number): Share {
	const share = store.byId(id);
	if (!share) {
		throw new UserError(`there is no share ${id} (curate share list shows them)`);
	}

	return share;
}

/** Every share with its state, link and recipients' links; the password hash never leaves the catalog. */
export function listShares(catalog: Catalog, baseUrl: string, now = new Date()): ListedShare[] {
	const store = new ShareStore(catalog);
	return store.list().map(({passwordHash, ...share}) => ({
		...share,
		state: shareState({...share, passwordHash}, undefined, now),
		password: passwordHash !== null,
		link: shareLink(baseUrl, share.token),
		recipientLinks: store.recipients(share.id).map(({id, name, createdAt, revokedAt, token}) => ({id, name, createdAt, revokedAt, link: shareLink(baseUrl, token)})),
	}));
}

/** Removes a share's copies (never through a symbolic link, never outside `.curate/shares`). */
function removeCopies(library: Library, share: Share): boolean {
	const folder = path.join(library.root, share.dir);
	const relative = path.relative(sharesDir(library), folder);
	if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
		throw new Error(`share ${share.id}'s folder ${share.dir} is not in .curate/shares; not removed`);
	}

	checkInside(library.root, folder);
	if (!fs.existsSync(folder)) {
		return false;
	}

	fs.rmSync(folder, {recursive: true, force: true});
	return true;
}

/** Closes a share's link for good and removes its copies; its record and log stay. */
export function revokeShare(library: Library, catalog: Catalog, id: number, now = new Date()): {share: Share; already: boolean} {
	const store = new ShareStore(catalog);
	const share = existing(store, id);
	const already = !store.revoke(id, now.toISOString());
	removeCopies(library, share);
	return {share: store.byId(id)!, already};
}

/**
 * Closes one named recipient's link for good (it answers 410 Gone, as a revoked share does); the share, its copies,
 * the other links and the log stay. The name is matched as `add-recipient` matches it (case-insensitive); a name given
 * again after its first link was revoked has a new, open link, and that one is the one revoked.
 */
export function revokeRecipient(catalog: Catalog, id: number, name: string, now = new Date()): {share: Share; recipient: ShareRecipient; already: boolean} {
	const store = new ShareStore(catalog);
	const share = existing(store, id);
	const trimmed = name.trim();
	const named = store.recipients(id).filter(recipient => recipient.name.toLowerCase() === trimmed.toLowerCase());
	const open = named.find(recipient => recipient.revokedAt === null);
	if (open) {
		store.revokeRecipient(open.id, now.toISOString());
		return {share, recipient: store.recipients(id).find(recipient => recipient.id === open.id)!, already: false};
	}

	if (named.length > 0) {
		return {share, recipient: named.at(-1)!, already: true};
	}

	const names = store.recipients(id).map(recipient => `"${sanitize(recipient.name)}"`);
	throw new UserError(`share ${id} has no recipient named "${sanitize(trimmed)}" (${names.length > 0 ? `its recipients: ${names.join(', ')}` : 'it has none'})`);
}

/**
 * Keeps a share open `ms` longer: from its expiry, or from now when it has expired. A revoked share stays closed; the
 * link may be open at most a year ahead.
 */
export function extendShare(catalog: Catalog, id: number, ms: number, now = new Date()): Share {
	const store = new ShareStore(catalog);
	const share = existing(store, id);
	if (share.revokedAt !== null) {
		throw new UserError(`share ${id} was revoked; a revoked link stays closed (make a new share)`);
	}

	const until = Math.max(now.getTime(), Date.parse(share.expiresAt)) + ms;
	if (until - now.getTime() > maxDurationMs) {
		throw new UserError(`share ${id} would then stay open until ${new Date(until).toISOString()}, more than 366 days from now`);
	}

	store.extend(id, new Date(until).toISOString());
	return store.byId(id)!;
}

/** Issues a named recipient's own token for a share, so the log says who opened it. */
export function addRecipient(catalog: Catalog, id: number, name: string, now = new Date()): {share: Share; recipient: ShareRecipient} {
	const store = new ShareStore(catalog);
	const share = existing(store, id);
	const trimmed = name.trim();
	// eslint-disable-next-line no-control-regex
	if (trimmed.length === 0 || trimmed.length > 80 || /[\u0000-\u001F\u007F-\u009F]/.test(trimmed)) {
		throw new UserError('a recipient\'s name is 1 to 80 characters on one line, e.g. "Aunt Marie"');
	}

	if (share.revokedAt !== null) {
		throw new UserError(`share ${id} was revoked; make a new share`);
	}

	if (store.recipients(id).some(recipient => recipient.name.toLowerCase() === trimmed.toLowerCase() && recipient.revokedAt === null)) {
		throw new UserError(`share ${id} already has a recipient named "${trimmed}" (curate share list shows their link)`);
	}

	return {share, recipient: store.addRecipient(id, trimmed, newToken(), now.toISOString())};
}

/** The access log, oldest first: of one share, or all of it. */
export function shareLog(catalog: Catalog, id?: number): ShareAccess[] {
	const store = new ShareStore(catalog);
	if (id !== undefined) {
		existing(store, id);
	}

	return store.access(id);
}

/** What a purge removed. */
export type PurgeReport = {readonly entries: number; readonly shares: readonly number[]; readonly staging: number};

/**
 * Applies the log's retention: entries older than `days` go, and so do shares revoked or expired that long ago (row,
 * recipients and copies), and staging folders of share runs that are no longer running.
 */
export function purgeShares(library: Library, catalog: Catalog, days: number, now = new Date()): PurgeReport {
	const store = new ShareStore(catalog);
	const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
	const entries = store.purgeAccessOlderThan(cutoff);
	const removed: number[] = [];
	for (const share of store.deadBefore(cutoff)) {
		removeCopies(library, share);
		store.remove(share.id);
		removed.push(share.id);
	}

	return {entries, shares: removed, staging: removeAbandonedStaging(library)};
}

function running(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Staging folders (`.new-<pid>-…`) whose run was killed before it could clean up. */
function removeAbandonedStaging(library: Library): number {
	const root = sharesDir(library);
	let names: string[];
	try {
		checkInside(library.root, root);
		names = fs.readdirSync(root);
	} catch {
		return 0;
	}

	let count = 0;
	for (const name of names) {
		const match = /^\.new-(\d+)-/.exec(name);
		if (match && Number(match[1]) !== process.pid && !running(Number(match[1]))) {
			fs.rmSync(path.join(root, name), {recursive: true, force: true});
			count++;
		}
	}

	return count;
}
