/**
 * Every photo's window hashes, as crop-robust candidate lookup reads them (issue 15), packed by catalog id: a million
 * photos' 72 bytes each in one buffer, not a million objects. `DupesData.everyPhoto` fills the table in its one pass
 * over the files (source/db/dupes-data.ts); detail grids are read with the signatures, for candidate pairs only.
 */

import {grown} from '../core/grown.js';

/** Bytes of one photo's stored window hashes (source/dupes/window-hash.ts `windowHashBytes`). */
const windowHashBytes = 72;

/**
 * Window hashes by catalog id, packed. Sized for `photos` photos with ids up to `maxId` (the reader counts the rows
 * first): a table grown by doubling as rows came held up to twice what it used, 139 MB for 72 at a million photos. It
 * still grows past those, should more come.
 */
export class WindowHashesById {
	// Slot of each id's hashes in `packed` (+1; 0 for none), indexed by id: a million photos in 4 MB, not a Map.
	private slots: Int32Array;
	private packed: Uint8Array;
	private used = 0;

	constructor(photos = 1024, maxId = 1023) {
		this.slots = new Int32Array(Math.max(maxId, 0) + 1);
		this.packed = new Uint8Array(Math.max(photos, 1) * windowHashBytes);
	}

	/** Keeps a photo's hashes (ignored unless they are 72 bytes, as stored). */
	add(id: number, hashes: Uint8Array): void {
		if (hashes.length !== windowHashBytes) {
			return;
		}

		if (this.used + windowHashBytes > this.packed.length) {
			this.packed = grown(this.packed, this.used + windowHashBytes);
		}

		if (id >= this.slots.length) {
			this.slots = grown(this.slots, id);
		}

		this.packed.set(hashes, this.used);
		this.slots[id] = this.used / windowHashBytes + 1;
		this.used += windowHashBytes;
	}

	/**
	 * The hashes of a photo by its id, as a view of the table (duplicate finding unpacks them: source/dupes/find.ts). The
	 * lookup takes the table over; once the finder has packed the hashes by unit it releases them, and from then on
	 * finds none: the caller's reference to the lookup would otherwise hold them to the end of the search, 76 MB at a
	 * million photos.
	 */
	lookup(): WindowHashLookup {
		let {slots, packed} = this;
		this.slots = new Int32Array(0);
		this.packed = new Uint8Array(0);
		this.used = 0;
		const lookup = (id: number) => {
			const slot = id < slots.length ? slots[id]! - 1 : -1;
			return slot >= 0 ? packed.subarray(slot * windowHashBytes, (slot + 1) * windowHashBytes) : undefined;
		};

		return Object.assign(lookup, {
			release() {
				slots = new Int32Array(0);
				packed = new Uint8Array(0);
			},
		});
	}
}

/**
 * Window hashes by catalog id; `release`, when there is one, says they will not be asked for again, and lets them go.
 */
export type WindowHashLookup = ((id: number) => Uint8Array | undefined) & {readonly release?: () => void};
