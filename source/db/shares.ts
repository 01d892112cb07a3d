/**
 * Share links (migration 16, issue 20): each share, the copies it shows, its named recipients and the log of every
 * request made to it. All the SQL of sharing lives here; `curate share` writes it and `curate serve` reads it and
 * appends to the log.
 */
import {connectionOf} from './connection.js';
import type Database from 'better-sqlite3';
import type {Catalog} from './catalog.js';

/** A share as the catalog records it. */
export type Share = {
	readonly id: number;
	/** The share's own token: `/s/<token>`. */
	readonly token: string;
	readonly title: string | null;
	readonly createdAt: string;
	readonly expiresAt: string;
	readonly revokedAt: string | null;
	/** `scrypt$N$r$p$salt$hash` (salt and hash base64url), or null for a share without a password. */
	readonly passwordHash: string | null;
	readonly allowDownload: boolean;
	readonly keepGps: boolean;
	/** The long side of the large copies, in pixels. */
	readonly maxSize: number;
	/** The share's folder relative to the library root, `.curate/shares/<id>`, holding `large/` and `thumbs/`. */
	readonly dir: string;
};

/** One photo of a share: the same file name in `large/` and in `thumbs/`. */
export type ShareItem = {
	readonly shareId: number;
	/** 0-based order in the gallery. */
	readonly position: number;
	/** Safe ASCII file name, unique in the share. */
	readonly name: string;
	/** The catalogued photo the copy was made from (null when it has left the catalog since). */
	readonly fileId: number | null;
	readonly width: number | null;
	readonly height: number | null;
	/** Size of the large copy in bytes. */
	readonly bytes: number | null;
	/** SHA-256 of the large copy. */
	readonly sha256: string | null;
};

/** A named recipient: a second token for the same share, so the log can say who. */
export type ShareRecipient = {
	readonly id: number;
	readonly shareId: number;
	readonly name: string;
	readonly token: string;
	readonly createdAt: string;
	readonly revokedAt: string | null;
};

/** What a request did, for the log. */
export type ShareAction = 'gallery' | 'view' | 'thumb' | 'download' | 'login' | 'denied' | 'not-found';

/** One request to a share (or to what looked like one), as `curate serve` records it. */
export type ShareAccessInput = {
	/** ISO time; now when left out. */
	readonly at?: string;
	/** Null when the token matched no share. */
	readonly shareId: number | null;
	readonly recipientId?: number | null;
	/** The peer address of the connection. */
	readonly clientAddress?: string | null;
	/** The address the configured proxy forwarded (X-Forwarded-For), when behind one. */
	readonly forwardedAddress?: string | null;
	readonly userAgent?: string | null;
	readonly method?: string | null;
	readonly path?: string | null;
	readonly action?: ShareAction | null;
	readonly itemName?: string | null;
	readonly status: number;
};

/** A logged request, with the recipient's name when a recipient token was used. */
export type ShareAccess = Required<ShareAccessInput> & {readonly id: number; readonly recipientName: string | null};

/** A new share: the row and its items in gallery order (their positions are given by the order). */
export type NewShare = {
	readonly token: string;
	readonly title?: string | null;
	readonly createdAt?: string;
	readonly expiresAt: string;
	readonly passwordHash?: string | null;
	readonly allowDownload?: boolean;
	readonly keepGps?: boolean;
	readonly maxSize: number;
	readonly items: ReadonlyArray<Omit<ShareItem, 'shareId' | 'position'>>;
};

/** A share with how many photos and recipients it has, for `curate share list`. */
export type ShareSummary = Share & {readonly items: number; readonly recipients: number; readonly accesses: number};

/** The folder of share `id`, relative to the library root. */
export const shareDirOf = (id: number): string => `.curate/shares/${id}`;

const toShare = (row: Record<string, any>): Share => ({
	id: row.id,
	token: row.token,
	title: row.title,
	createdAt: row.created_at,
	expiresAt: row.expires_at,
	revokedAt: row.revoked_at,
	passwordHash: row.password_hash,
	allowDownload: row.allow_download === 1,
	keepGps: row.keep_gps === 1,
	maxSize: row.max_size,
	dir: row.dir,
});

const toItem = (row: Record<string, any>): ShareItem => ({
	shareId: row.share_id,
	position: row.position,
	name: row.name,
	fileId: row.file_id,
	width: row.width,
	height: row.height,
	bytes: row.bytes,
	sha256: row.sha256,
});

const toRecipient = (row: Record<string, any>): ShareRecipient => ({
	id: row.id,
	shareId: row.share_id,
	name: row.name,
	token: row.token,
	createdAt: row.created_at,
	revokedAt: row.revoked_at,
});

const toAccess = (row: Record<string, any>): ShareAccess => ({
	id: row.id,
	at: row.at,
	shareId: row.share_id,
	recipientId: row.recipient_id,
	recipientName: row.recipient_name,
	clientAddress: row.client_address,
	forwardedAddress: row.forwarded_address,
	userAgent: row.user_agent,
	method: row.method,
	path: row.path,
	action: row.action,
	itemName: row.item_name,
	status: row.status,
});

/** Prepared statements over the share tables. */
export class ShareStore {
	private readonly db: Database.Database;
	private readonly statements;

	constructor(catalog: Catalog) {
		this.db = connectionOf(catalog);
		const db = this.db;
		this.statements = {
			insert: db.prepare(`INSERT INTO shares (token, title, created_at, expires_at, password_hash, allow_download, keep_gps, max_size, dir)
				VALUES (@token, @title, @createdAt, @expiresAt, @passwordHash, @allowDownload, @keepGps, @maxSize, '')`),
			setDir: db.prepare<[string, number]>('UPDATE shares SET dir = ? WHERE id = ?'),
			insertItem: db.prepare(`INSERT INTO share_items (share_id, position, name, file_id, width, height, bytes, sha256)
				VALUES (@shareId, @position, @name, @fileId, @width, @height, @bytes, @sha256)`),
			list: db.prepare<[], Record<string, any>>(`SELECT s.*,
				(SELECT count(*) FROM share_items i WHERE i.share_id = s.id) AS item_count,
				(SELECT count(*) FROM share_recipients r WHERE r.share_id = s.id) AS recipient_count,
				(SELECT count(*) FROM share_access a WHERE a.share_id = s.id) AS access_count
				FROM shares s ORDER BY s.id`),
			byId: db.prepare<[number], Record<string, any>>('SELECT * FROM shares WHERE id = ?'),
			byToken: db.prepare<[string], Record<string, any>>('SELECT * FROM shares WHERE token = ?'),
			recipientByToken: db.prepare<[string], Record<string, any>>('SELECT * FROM share_recipients WHERE token = ?'),
			items: db.prepare<[number], Record<string, any>>('SELECT * FROM share_items WHERE share_id = ? ORDER BY position'),
			item: db.prepare<[number, string], Record<string, any>>('SELECT * FROM share_items WHERE share_id = ? AND name = ?'),
			revoke: db.prepare<[string, number]>('UPDATE shares SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
			extend: db.prepare<[string, number]>('UPDATE shares SET expires_at = ? WHERE id = ?'),
			remove: db.prepare<[number]>('DELETE FROM shares WHERE id = ?'),
			addRecipient: db.prepare<[number, string, string, string]>('INSERT INTO share_recipients (share_id, name, token, created_at) VALUES (?, ?, ?, ?)'),
			recipients: db.prepare<[number], Record<string, any>>('SELECT * FROM share_recipients WHERE share_id = ? ORDER BY id'),
			revokeRecipient: db.prepare<[string, number]>('UPDATE share_recipients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
			record: db.prepare(`INSERT INTO share_access (at, share_id, recipient_id, client_address, forwarded_address, user_agent, method, path, action, item_name, status)
				VALUES (@at, @shareId, @recipientId, @clientAddress, @forwardedAddress, @userAgent, @method, @path, @action, @itemName, @status)`),
			accessAll: db.prepare<[], Record<string, any>>(`SELECT a.*, r.name AS recipient_name FROM share_access a
				LEFT JOIN share_recipients r ON r.id = a.recipient_id ORDER BY a.at, a.id`),
			accessOf: db.prepare<[number], Record<string, any>>(`SELECT a.*, r.name AS recipient_name FROM share_access a
				LEFT JOIN share_recipients r ON r.id = a.recipient_id WHERE a.share_id = ? ORDER BY a.at, a.id`),
			purgeAccess: db.prepare<[string]>('DELETE FROM share_access WHERE at < ?'),
			// Shares whose link is dead (revoked or expired) since before a time: their copies can go.
			deadBefore: db.prepare<[{before: string}], Record<string, any>>(`SELECT * FROM shares
				WHERE (revoked_at IS NOT NULL AND revoked_at < @before) OR expires_at < @before ORDER BY id`),
		};
	}

	/**
	 * Records a share and its items in one transaction and returns it. Its folder is `.curate/shares/<id>`
	 * (`shareDirOf`): `place`, called inside the transaction with the new row, puts the copies there (a synchronous
	 * rename of a folder filled beforehand); if it throws, nothing is recorded.
	 */
	create(share: NewShare, place: (share: Share) => void = () => {}): Share {
		const id = this.db.transaction(() => {
			const {lastInsertRowid} = this.statements.insert.run({
				token: share.token,
				title: share.title ?? null,
				createdAt: share.createdAt ?? new Date().toISOString(),
				expiresAt: share.expiresAt,
				passwordHash: share.passwordHash ?? null,
				allowDownload: share.allowDownload ? 1 : 0,
				keepGps: share.keepGps ? 1 : 0,
				maxSize: share.maxSize,
			});
			const id = Number(lastInsertRowid);
			this.statements.setDir.run(shareDirOf(id), id);
			for (const [position, item] of share.items.entries()) {
				this.statements.insertItem.run({shareId: id, position, name: item.name, fileId: item.fileId, width: item.width, height: item.height, bytes: item.bytes, sha256: item.sha256});
			}

			place(this.byId(id)!);
			return id;
		})();
		return this.byId(id)!;
	}

	/** Every share, oldest first, with its counts. */
	list(): ShareSummary[] {
		return this.statements.list.all().map(row => ({...toShare(row), items: row.item_count, recipients: row.recipient_count, accesses: row.access_count}));
	}

	/** One share by its number. */
	byId(id: number): Share | undefined {
		const row = this.statements.byId.get(id);
		return row ? toShare(row) : undefined;
	}

	/**
	 * The share a token opens: the share's own token, or a recipient's (then `recipient` says whose). Whether the
	 * share is still open (expiry, revocation of the share or of the recipient) is the caller's check: see `shareState`.
	 */
	findByToken(token: string): {share: Share; recipient?: ShareRecipient} | undefined {
		const own = this.statements.byToken.get(token);
		if (own) {
			return {share: toShare(own)};
		}

		const recipientRow = this.statements.recipientByToken.get(token);
		if (!recipientRow) {
			return undefined;
		}

		const share = this.byId(recipientRow.share_id);
		return share ? {share, recipient: toRecipient(recipientRow)} : undefined;
	}

	/** The photos of a share in gallery order. */
	items(shareId: number): ShareItem[] {
		return this.statements.items.all(shareId).map(row => toItem(row));
	}

	/** One photo of a share by its file name (exact match: never a path). */
	item(shareId: number, name: string): ShareItem | undefined {
		const row = this.statements.item.get(shareId, name);
		return row ? toItem(row) : undefined;
	}

	/** Revokes a share now; false when it was revoked already (the first time stays recorded). */
	revoke(id: number, at = new Date().toISOString()): boolean {
		return this.statements.revoke.run(at, id).changes > 0;
	}

	/** Sets a share's expiry to `until` (ISO). */
	extend(id: number, until: string): boolean {
		return this.statements.extend.run(until, id).changes > 0;
	}

	/** Deletes a share's rows (items and recipients go with it; its log entries stay until they age out). */
	remove(id: number): void {
		this.statements.remove.run(id);
	}

	/** Issues a recipient token for a share. */
	addRecipient(shareId: number, name: string, token: string, at = new Date().toISOString()): ShareRecipient {
		const {lastInsertRowid} = this.statements.addRecipient.run(shareId, name, token, at);
		return {id: Number(lastInsertRowid), shareId, name, token, createdAt: at, revokedAt: null};
	}

	/** The recipients of a share, oldest first. */
	recipients(shareId: number): ShareRecipient[] {
		return this.statements.recipients.all(shareId).map(row => toRecipient(row));
	}

	/** Revokes one recipient's token (the share itself stays open). */
	revokeRecipient(recipientId: number, at = new Date().toISOString()): boolean {
		return this.statements.revokeRecipient.run(at, recipientId).changes > 0;
	}

	/**
	 * Appends requests to the log in one transaction: one commit, so one sync of the catalog, for all of them (the
	 * server's group commit). All are recorded, or none (it throws).
	 */
	recordAccesses(entries: readonly ShareAccessInput[]): void {
		this.db.transaction(() => {
			for (const entry of entries) {
				this.recordAccess(entry);
			}
		})();
	}

	/** Appends one request to the log. */
	recordAccess(entry: ShareAccessInput): void {
		this.statements.record.run({
			at: entry.at ?? new Date().toISOString(),
			shareId: entry.shareId,
			recipientId: entry.recipientId ?? null,
			clientAddress: entry.clientAddress ?? null,
			forwardedAddress: entry.forwardedAddress ?? null,
			userAgent: entry.userAgent ?? null,
			method: entry.method ?? null,
			path: entry.path ?? null,
			action: entry.action ?? null,
			itemName: entry.itemName ?? null,
			status: entry.status,
		});
	}

	/** The log, oldest first: of one share, or of every request (those that matched no share too). */
	access(shareId?: number): ShareAccess[] {
		const rows = shareId === undefined ? this.statements.accessAll.all() : this.statements.accessOf.all(shareId);
		return rows.map(row => toAccess(row));
	}

	/** Deletes log entries from before `iso`; returns how many. */
	purgeAccessOlderThan(iso: string): number {
		return this.statements.purgeAccess.run(iso).changes;
	}

	/** Shares revoked or expired before `iso`: their copies are no longer served and can be removed. */
	deadBefore(iso: string): Share[] {
		return this.statements.deadBefore.all({before: iso}).map(row => toShare(row));
	}
}

/** Whether a share's link opens now: `open`, or why not. */
export type ShareState = 'open' | 'expired' | 'revoked';

/** The state of a share (and of the recipient whose token was used) at `now`. */
export function shareState(share: Share, recipient?: ShareRecipient, now = new Date()): ShareState {
	if (share.revokedAt !== null || (recipient?.revokedAt ?? null) !== null) {
		return 'revoked';
	}

	return Date.parse(share.expiresAt) <= now.getTime() ? 'expired' : 'open';
}
