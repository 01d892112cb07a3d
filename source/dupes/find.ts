/**
 * Duplicate finding, as six named stages over the catalogued files: group exact copies (SHA-256), group same-pixel
 * copies (content hash), find near-duplicate candidates (pHash index: plain, turned, cropped), verify candidates (on
 * pixel signatures, loaded only for candidate pairs), cluster the links, rank keepers. Each stage is its own module
 * with its own tests; `findDuplicates` only runs them in order. "Not duplicates" decisions remove links between
 * those contents at every stage.
 */
import {hamming, hexToHash} from '../core/perceptual.js';
import type {DupeSearchProgress} from '../core/progress.js';
import type {StoredFile} from '../db/catalog.js';
import type {SharedContents} from '../db/dupes-data.js';
import type {WindowHashLookup} from '../db/window-hashes-by-id.js';
import {type CandidateOptions, findCandidates, findDamagedCandidates, type WindowLookupAway} from './candidates.js';
import {clusterLinks, type LinkGroup} from './cluster.js';
import {groupExact, groupPixels} from './group.js';
import {rankKeepers} from './rank.js';
import {type Cluster, defaultSimilarWindowSeconds, type FindOptions, type KindFilter, sensitivities, type Unit} from './types.js';
import {allowedBy, groupUnits, usableFiles} from './units.js';
import {type VerificationLoader, verificationFromFiles, verifyCandidates, type VerifyHelpers} from './verify.js';
import {cropWindows, windowHashBytes, windowHashes} from './window-hash.js';
import type {WindowHashTable} from './candidates.js';

export {rankFiles} from './rank.js';
export {groupUnits} from './units.js';
export {sensitivities} from './types.js';
export type {Cluster, ClusterMember, DupeKind, FindOptions, KindFilter, Sensitivity} from './types.js';

/**
 * Where the heavier fingerprints come from; by default the files' own (full catalog rows carry them). A caller that
 * loads light rows passes a loader for verification data (fetched for candidate pairs only) and, for uneven-crop
 * lookup, the window hashes of every picture (or none, to skip that lookup).
 */
export type FindSources = {
	readonly loadVerification?: VerificationLoader;
	/**
	 * Stored window hashes by catalog id (else they are computed from the files' signatures), or false for none; released
	 * once read (source/db/window-hashes-by-id.ts).
	 */
	readonly windowHashes?: WindowHashLookup | false;
	/** Catalog ids of the files that decoded only in part, when `files` are light ones that do not carry their error. */
	readonly damaged?: ReadonlySet<number>;
	/** Told as candidate lookup starts and as verification goes (minutes at a million photos). */
	readonly onProgress?: (event: DupeSearchProgress) => void;
	/** Helper threads that may judge some of verification's batches (verify-helpers.ts). */
	readonly verifyHelpers?: VerifyHelpers;
	/** Where the window lookup may run beside the other lookups (window-helpers.ts). */
	readonly windowLookupAway?: WindowLookupAway;
	/** Which files may have the same bytes or pixels as another, when the catalog tells (source/db/dupes-data.ts). */
	readonly shared?: SharedContents;
};

/**
 * Window hashes of every unit with a pHash, packed: the stored ones (72 bytes, big-endian), else computed from the
 * file's signature (about 0.3 ms a photo). The table is counted before it is filled, so it is made once at its size
 * (72 MB at a million photos), not grown by doubling and then copied.
 */
export function windowHashesOf(units: ReturnType<typeof groupUnits>, stored: Exclude<FindSources['windowHashes'], false>, options: {readonly shared?: boolean} = {}): WindowHashTable {
	const per = 1 + cropWindows.length;
	const storedOf = (file: StoredFile) => {
		const found = stored ? stored(file.id) : undefined;
		return found?.length === windowHashBytes ? found : undefined;
	};

	let count = 0;
	for (const {file} of units) {
		if (file.phash && (file.signature || storedOf(file))) {
			count++;
		}
	}

	const listed = new Uint32Array(count);
	// Shared memory when a helper thread looks the windows up: it reads the table where it is, with no 72 MB copy.
	const words = () => (options.shared ? new Uint32Array(new SharedArrayBuffer(count * per * 4)) : new Uint32Array(count * per));
	const hi = words();
	const lo = words();
	let k = 0;
	for (const [unit, {file}] of units.entries()) {
		if (!file.phash) {
			continue;
		}

		const bytes = storedOf(file);
		const at = k * per;
		if (bytes) {
			const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
			for (let w = 0; w < per; w++) {
				hi[at + w] = view.getUint32(w * 8);
				lo[at + w] = view.getUint32(w * 8 + 4);
			}
		} else if (file.signature) {
			const computed = windowHashes(file.signature);
			for (const [w, hash] of [computed.whole, ...computed.windows].entries()) {
				hi[at + w] = Number(hash >> 32n);
				lo[at + w] = Number(hash & 0xff_ff_ff_ffn);
			}
		} else {
			continue;
		}

		listed[k++] = unit;
	}

	stored?.release?.();
	return {units: listed, perUnit: per, hi, lo};
}

/**
 * Finds duplicate clusters among catalogued files. Exact and pixel tiers group by SHA-256 and by the metadata-blind
 * content hash; the near tier finds candidates within a pHash radius (including rotated and cropped copies) through a
 * multi-index Hamming index, not all pairs, and confirms each on the pixel signatures, which rejects burst
 * neighbours.
 */
export function findDuplicates(files: readonly StoredFile[], options: FindOptions = {}, sources: FindSources = {}): Cluster[] {
	const {units, groups, filter, damaged} = findGroups(files, options, sources);
	return rankKeepers(units, groups, filter, options.keeper, damaged);
}

/** What the stages before keeper ranking find: the units and their groups. */
export type FoundGroups = {
	readonly units: readonly Unit[];
	/** Groups of two or more units, by their first member. */
	readonly groups: readonly LinkGroup[];
	readonly filter: KindFilter;
	/** Damaged copies (unit index) and the share of their picture that decodes. */
	readonly damaged: ReadonlyMap<number, number>;
};

/**
 * The stages of {@link findDuplicates} before keeper ranking: groups and links, not clusters. A caller that ranks
 * the groups itself, a batch at a time, never holds every cluster member's whole record at once (in-catalog.ts).
 */
export function findGroups(files: readonly StoredFile[], options: FindOptions = {}, sources: FindSources = {}): FoundGroups {
	const filter = options.kind ?? 'all';
	const tuning = sensitivities[options.sensitivity ?? 'normal'];
	const usable = usableFiles(files);
	const units = groupUnits(usable);
	const allowed = allowedBy(units, options.distinct ?? new Set());
	// concat, not push(...): a million photos make more links than a call takes arguments ("Maximum call stack size").
	let links = groupExact(units, allowed, sources.shared?.sha256);
	if (filter !== 'exact') {
		links = links.concat(groupPixels(units, allowed, sources.shared?.contentHash));
	}

	const lookup = lookupOf(options);
	if (lookup) {
		const similarWindowMs = similarWindowMsOf(options);
		sources.onProgress?.({phase: 'lookup', done: 0, total: units.length});
		const stored = sources.windowHashes;
		const away = sources.windowLookupAway;
		const candidates = findCandidates(units, {
			...lookup,
			windowHashes: stored === false ? undefined : () => windowHashesOf(units, stored, {shared: away !== undefined}),
			windowLookupAway: away,
		});
		candidates.push(...findDamagedCandidates(units, sources.damaged));
		const load = sources.loadVerification ?? verificationFromFiles(usable);
		const onProgress = sources.onProgress;
		const onVerified = onProgress && ((done: number, total: number) => onProgress({phase: 'verifying', done, total}));
		const helpers = sources.verifyHelpers;
		links = links.concat(verifyCandidates(units, candidates, load, {tuning, radius: lookup.radius, filter, similarWindowMs, allowed, onVerified, helpers}));
	}

	const damaged = new Map(links.flatMap(link => (link.damaged ? [[link.damaged.unit, link.damaged.decodes] as const] : [])));
	const groups = clusterLinks(units.length, links, filter);
	return {units, groups, filter, damaged};
}

/**
 * How wide candidate lookup searches for a search with these options, or undefined when the search has no near tier
 * (exact copies or same pixels only).
 */
export function lookupOf(options: FindOptions): Omit<CandidateOptions, 'windowHashes'> | undefined {
	const filter = options.kind ?? 'all';
	if (filter !== 'near' && filter !== 'all' && filter !== 'similar') {
		return undefined;
	}

	const radius = options.distance ?? sensitivities[options.sensitivity ?? 'normal'].distance;
	// Turned and cropped fingerprints describe the copy exactly, so they need a smaller radius, which keeps five extra
	// lookups per picture affordable at a million photos.
	return {
		radius,
		lookupRadius: Math.min(radius, 6),
		similarWindowMs: filter === 'similar' ? similarWindowMsOf(options) : undefined,
		windowRadius: Math.min(radius, 6),
	};
}

/** How close in time two shots of one moment are, for the `similar` tier. */
function similarWindowMsOf(options: FindOptions): number {
	return (options.similarWindowSeconds ?? defaultSimilarWindowSeconds) * 1000;
}

/** pHash distance between two catalogued files (for explanations and tests). */
export function phashDistance(a: StoredFile, b: StoredFile): number | undefined {
	return a.phash && b.phash ? hamming(hexToHash(a.phash), hexToHash(b.phash)) : undefined;
}
