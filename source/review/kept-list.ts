/**
 * Kept duplicate clusters in review order, read a page at a time as the review screen reaches them (issue 15). At a
 * million photos a kept search holds 154,131 clusters: reading every one's place and size and making review's list of
 * them cost about 1.4 s of CPU before the first screen; a page costs well under a millisecond.
 */
import type {ClusterOrder, DupeStore, KeptClusterEntry, KeptSearch} from '../db/dupe-store.js';
import type {ReviewCluster, ReviewList} from './types.js';

/** Clusters read at once: the screen shows one and renders the pictures of the next three ahead. */
const defaultPageSize = 64;

/** Pages kept read, most recently used last; an older one is read again when the screen comes back to it. */
const pagesKept = 32;

/**
 * Which of a kept search's clusters a review shows, in which order: their places in the search's `order` (kept with
 * it, 0 to clusters - 1), those `inside` a folder only when given (ascending), and the `skipped` ones (clusters put off
 * in an earlier session) after all the others.
 */
export function reviewPlaces(clusters: number, inside: readonly number[] | undefined, skipped: ReadonlySet<number>): Int32Array {
	const count = inside ? inside.length : clusters;
	let later = 0;
	for (const place of skipped) {
		later += (inside ? binarySearch(inside, place) >= 0 : place >= 0 && place < clusters) ? 1 : 0;
	}

	const places = new Int32Array(count);
	let front = 0;
	let back = count - later;
	for (let index = 0; index < count; index++) {
		const place = inside ? inside[index]! : index;
		if (later > 0 && skipped.has(place)) {
			places[back++] = place;
		} else {
			places[front++] = place;
		}
	}

	return places;
}

function binarySearch(sorted: readonly number[], value: number): number {
	let low = 0;
	let high = sorted.length - 1;
	while (low <= high) {
		const middle = (low + high) >>> 1;
		const at = sorted[middle]!;
		if (at === value) {
			return middle;
		}

		if (at < value) {
			low = middle + 1;
		} else {
			high = middle - 1;
		}
	}

	return -1;
}

/** A review's clusters from a kept search, read a page at a time; the same cluster object while its page stays read. */
export class KeptReviewList implements ReviewList {
	private readonly pages = new Map<number, readonly ReviewCluster[]>();

	constructor(
		private readonly store: DupeStore,
		private readonly search: KeptSearch,
		private readonly order: ClusterOrder,
		/** The place in `order` of each cluster of this review, in review order (`reviewPlaces`). */
		private readonly places: Int32Array,
		/** Makes a cluster of an entry (its members are read when something first looks at them). */
		private readonly toCluster: (entry: KeptClusterEntry) => ReviewCluster,
		private readonly pageSize = defaultPageSize,
	) {}

	get length(): number {
		return this.places.length;
	}

	at(index: number): ReviewCluster | undefined {
		const wanted = Math.trunc(index) + (index < 0 ? this.places.length : 0);
		if (!(wanted >= 0 && wanted < this.places.length)) {
			return undefined;
		}

		const page = Math.floor(wanted / this.pageSize);
		let clusters = this.pages.get(page);
		if (clusters) {
			this.pages.delete(page);
		} else {
			clusters = this.read(page);
			if (this.pages.size >= pagesKept) {
				this.pages.delete(this.pages.keys().next().value!);
			}
		}

		this.pages.set(page, clusters);
		return clusters[wanted - (page * this.pageSize)];
	}

	indexOfId(id: string): number {
		const place = this.store.placeOf(this.search, this.order, id);
		return place === undefined ? -1 : this.places.indexOf(place);
	}

	indexesOfIds(ids: ReadonlySet<string>): number[] {
		const wanted = new Set<number>();
		for (const id of ids) {
			const place = this.store.placeOf(this.search, this.order, id);
			if (place !== undefined) {
				wanted.add(place);
			}
		}

		const indexes: number[] = [];
		if (wanted.size > 0) {
			for (const [index, place] of this.places.entries()) {
				if (wanted.has(place)) {
					indexes.push(index);
				}
			}
		}

		return indexes;
	}

	private read(page: number): readonly ReviewCluster[] {
		const places = this.places.subarray(page * this.pageSize, Math.min(this.places.length, (page + 1) * this.pageSize));
		// A page's places are one run of the order but where skipped clusters or a --path filter leave gaps: one range
		// read per run.
		const entries = new Map<number, KeptClusterEntry>();
		let start = 0;
		for (let next = 1; next <= places.length; next++) {
			if (next === places.length || places[next] !== places[next - 1]! + 1) {
				for (const entry of this.store.entriesAt(this.search, this.order, places[start]!, places[next - 1]!)) {
					entries.set(entry.place, entry);
				}

				start = next;
			}
		}

		return Array.from(places, place => {
			const entry = entries.get(place);
			if (!entry) {
				throw new Error('the duplicate clusters changed while under review (another curate found duplicates again); open curate review again');
			}

			return this.toCluster(entry);
		});
	}
}
