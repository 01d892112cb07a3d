/**
 * What `curate serve` needs of the catalog's shares (issue 20): the share a token opens, its items, and a place to
 * record every request: the part of `ShareStore` (source/db/shares.ts) the server uses, so it knows nothing of SQL.
 */
import type {ShareAction, ShareStore} from '../db/shares.js';

export type {Share, ShareItem, ShareRecipient} from '../db/shares.js';

/** The catalog side of the server. */
export type ShareSource = Pick<ShareStore, 'findByToken' | 'item' | 'items' | 'recordAccesses'>;

/** One request to a share, as recorded. */
export type AccessRecord = {
	readonly at: string;
	/** Null when the token matched no share. */
	readonly shareId: number | null;
	readonly recipientId: number | null;
	/** The peer's address, as seen. */
	readonly clientAddress: string;
	/** The X-Forwarded-For address, only when the peer is the configured trusted proxy. */
	readonly forwardedAddress: string | null;
	readonly userAgent: string | null;
	readonly method: string;
	readonly path: string;
	/** What was asked: the gallery, a large view, a thumbnail, a download, the password form; or refused, or not there. */
	readonly action: ShareAction;
	readonly itemName: string | null;
	readonly status: number;
};
