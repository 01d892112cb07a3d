/**
 * What crop-robust candidate lookup reads from the catalog besides the light records (issue 15): every photo's window
 * hashes, and which present photos decoded only in part (a damaged copy is never near its original in hash space, so
 * it is looked up by size). Detail grids are read with the signatures, for candidate pairs only (dupes-data.ts).
 */
import {connectionOf} from './connection.js';
import type {Catalog} from './catalog.js';

/** Bytes of one photo's stored window hashes (source/dupes/window-hash.ts `windowHashBytes`). */
const windowHashBytes = 72;

/** Reads alignment data from one catalog through statements prepared once. */
export class AlignData {
	private readonly statements;

	constructor(catalog: Catalog) {
		const db = connectionOf(catalog);
		this.statements = {
			// A photo scanned before migration 19 has no window hashes: its signature stands in (they are computed from it).
			windows: db.prepare<[], {id: number; window_hashes: Buffer | null; signature: Buffer | null}>(
				`SELECT id, window_hashes, CASE WHEN window_hashes IS NULL THEN signature END AS signature FROM files
					WHERE status = 'present' AND (window_hashes IS NOT NULL OR signature IS NOT NULL)`,
			),
			damaged: db.prepare<[], {id: number}>("SELECT id FROM files WHERE status = 'present' AND error LIKE 'damaged image data%'"),
		};
	}

	/**
	 * The stored window hashes of every present photo, packed (72 bytes a photo) and looked up by catalog id
	 * (duplicate finding unpacks them: source/dupes/find.ts). A photo scanned before migration 19 has none: `fromSignature` makes
	 * them from its 256-byte signature as the row is read (until `curate scan --force` stores them), so a million such
	 * photos cost 72 MB here, not the 400 MB their signatures take as objects.
	 */
	windowHashes(fromSignature: (signature: Uint8Array) => Uint8Array): (id: number) => Uint8Array | undefined {
		// Slot of each id's hashes in `packed` (+1; 0 for none), indexed by id: a million photos in 4 MB, not a Map.
		let slots = new Int32Array(1 << 16);
		let packed = new Uint8Array(1 << 16);
		let used = 0;
		for (const row of this.statements.windows.iterate()) {
			const hashes = row.window_hashes ?? (row.signature ? fromSignature(row.signature) : undefined);
			if (hashes?.length !== windowHashBytes) {
				continue;
			}

			if (used + windowHashBytes > packed.length) {
				const grown = new Uint8Array(packed.length * 2);
				grown.set(packed);
				packed = grown;
			}

			while (row.id >= slots.length) {
				const grown = new Int32Array(slots.length * 2);
				grown.set(slots);
				slots = grown;
			}

			packed.set(hashes, used);
			slots[row.id] = used / windowHashBytes + 1;
			used += windowHashBytes;
		}

		return id => {
			const slot = id < slots.length ? slots[id]! - 1 : -1;
			return slot >= 0 ? packed.subarray(slot * windowHashBytes, (slot + 1) * windowHashBytes) : undefined;
		};
	}

	/** Ids of the present files whose pixels decoded only in part. */
	damagedIds(): Set<number> {
		return new Set(Array.from(this.statements.damaged.iterate(), row => row.id));
	}
}
