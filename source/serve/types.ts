/**
 * What `curate serve` needs of the catalog's shares (issue 20): the share a token opens, its items, and a place to
 * record every request. `ShareStore` (source/db/shares.ts) provides it; the server takes it as a parameter so that it
 * knows nothing of SQL.
 */

/** A share as the server reads it. */
export type ServedShare = {
	readonly id: number;
	readonly token: string;
	readonly title: string | null;
	readonly created_at: string;
	readonly expires_at: string;
	readonly revoked_at: string | null;
	/** `scrypt$N$r$p$salt$hash`, or null for a share without a password. */
	readonly password_hash: string | null;
	readonly allow_download: number | boolean;
	/** The share's copies, relative to the library root (`.curate/shares/7`): `large/NAME` and `thumbs/NAME`. */
	readonly dir: string;
};

/** A named recipient's token of a share. */
export type ServedRecipient = {
	readonly id: number;
	readonly name: string;
};

/** One photo of a share. */
export type ServedItem = {
	readonly position: number;
	readonly name: string;
	readonly width: number | null;
	readonly height: number | null;
	readonly bytes: number;
	readonly sha256: string;
};

/** What a request did, for the audit log. */
export type AccessAction = 'gallery' | 'view' | 'thumb' | 'download' | 'login' | 'denied' | 'not-found';

/** One request to a share, as recorded. */
export type AccessRecord = {
	readonly at: string;
	readonly shareId: number | null;
	readonly recipientId: number | null;
	/** The peer's address, as seen. */
	readonly clientAddress: string;
	/** The X-Forwarded-For address, only when the peer is the configured trusted proxy. */
	readonly forwardedAddress: string | null;
	readonly userAgent: string | null;
	readonly method: string;
	readonly path: string;
	readonly action: AccessAction;
	readonly itemName: string | null;
	readonly status: number;
};

/** The catalog side of the server. */
export type ShareSource = {
	findByToken(token: string): {share: ServedShare; recipient?: ServedRecipient | undefined} | undefined;
	items(shareId: number): readonly ServedItem[];
	recordAccess(record: AccessRecord): void;
};
