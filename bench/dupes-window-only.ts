/**
 * node --import tsx bench/dupes-window-only.ts LIBRARY — a diagnostic beside `npm run bench:dupes` (issue 15): of the
 * candidate pairs that only a crop window found (uneven-crop lookup), how many verify, and whether bounding them to
 * the k nearest of each photo would change what `curate dupes` links. Reads the catalog of LIBRARY (run it on a copy:
 * opening a catalog migrates it); window hashes of photos scanned before migration 19 are made from their signatures,
 * as `curate dupes` makes them. Prints the pairs' count, how many the full run links, how many verify on their own
 * (nothing joined before them), how many each photo has, and for k = 1, 2, 3, 4, 8 whether the links stay the same.
 */
import {Catalog} from '../source/db/catalog.js';
import {DupesData} from '../source/db/dupes-data.js';
import {ThumbnailPaths} from '../source/db/thumbnail-paths.js';
import {type CandidatePair, findCandidates, findDamagedCandidates, type WindowHashTable} from '../source/dupes/candidates.js';
import {allowedBy, groupUnits, usableFiles} from '../source/dupes/units.js';
import {sensitivities} from '../source/dupes/types.js';
import {verifyCandidates} from '../source/dupes/verify.js';
import {cropWindows, encodeWindowHashes, windowHashBytes, windowHashes} from '../source/dupes/window-hash.js';

const dir = process.argv[2];
if (!dir) {
	throw new Error('usage: node --import tsx bench/dupes-window-only.ts LIBRARY');
}

const catalog = Catalog.open(`${dir}/.curate/catalog.db`);
const data = new DupesData(catalog);
const thumbs = new ThumbnailPaths(catalog);
const every = data.everyPhoto(signature => encodeWindowHashes(windowHashes(signature)));
const units = groupUnits(usableFiles(every.files));
const stored = every.windowHashes;
const per = 1 + cropWindows.length;
const listed: number[] = []; const hi: number[] = []; const lo: number[] = [];
for (const [unit, {file}] of units.entries()) {
	if (!file.phash) continue;
	const bytes = stored(file.id);
	if (bytes?.length !== windowHashBytes) continue;
	const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	for (let k = 0; k < per; k++) { hi.push(v.getUint32(k * 8)); lo.push(v.getUint32(k * 8 + 4)); }
	listed.push(unit);
}
const table: WindowHashTable = {units: Uint32Array.from(listed), perUnit: per, hi: Uint32Array.from(hi), lo: Uint32Array.from(lo)};
const tuning = sensitivities.normal;
const radius = tuning.distance;
const candidates = findCandidates(units, {radius, lookupRadius: Math.min(radius, 6), windowHashes: table, windowRadius: Math.min(radius, 6)});
candidates.push(...findDamagedCandidates(units, every.damaged));
const allowed = allowedBy(units, data.distinctPairs());
const load = (ids: readonly number[]) => data.verification(ids, thumb => thumbs.place(thumb));
const options = {tuning, radius, filter: 'all' as const, similarWindowMs: 120_000, allowed};
const verify = (pairs: readonly CandidatePair[]) => verifyCandidates(units, pairs, load, options);
const key = (a: number, b: number) => `${a},${b}`;
const full = verify(candidates);
const linked = new Set(full.map(link => key(link.a, link.b)));
const windowOnly = candidates.filter(pair => pair.ways.every(way => way.window));
console.log(`${units.length} units; ${candidates.length} candidate pairs, ${windowOnly.length} window-only (${(windowOnly.length / units.length).toFixed(2)} a photo); ${full.length} links`);
console.log(`window-only pairs linked in the full run: ${windowOnly.filter(pair => linked.has(key(pair.a, pair.b))).length}`);
// Each window-only pair alone, with nothing joined before it: would it ever verify?
let alone = 0;
const verifiesAlone = new Set<string>();
for (const pair of windowOnly) {
	if (verify([pair]).length > 0) {
		alone++;
		verifiesAlone.add(key(pair.a, pair.b));
	}
}
console.log(`window-only pairs that verify on their own: ${alone} of ${windowOnly.length} (${((100 * alone) / Math.max(1, windowOnly.length)).toFixed(2)} %)`);
// Rank of each window-only pair among the window-only pairs of each of its photos, by (nearest way distance, order found).
const byUnit = new Map<number, Array<{pair: CandidatePair; distance: number; order: number}>>();
windowOnly.forEach((pair, order) => {
	const distance = Math.min(...pair.ways.map(way => way.distance));
	for (const unit of [pair.a, pair.b]) { const list = byUnit.get(unit) ?? []; list.push({pair, distance, order}); byUnit.set(unit, list); }
});
const rank = new Map<CandidatePair, number>();
for (const list of byUnit.values()) {
	list.sort((x, y) => x.distance - y.distance || x.order - y.order);
	list.forEach((entry, r) => rank.set(entry.pair, Math.min(rank.get(entry.pair) ?? Infinity, r + 1)));
}
const perPhoto = [...byUnit.values()].map(list => list.length).sort((x, y) => x - y);
console.log(`window-only pairs per photo that has any: median ${perPhoto[Math.floor(perPhoto.length / 2)]}, 99th ${perPhoto[Math.floor(perPhoto.length * 0.99)]}, max ${perPhoto.at(-1)}`);
const verifiedRanks = windowOnly.filter(pair => verifiesAlone.has(key(pair.a, pair.b))).map(pair => rank.get(pair)!);
console.log(`best rank of verifying window-only pairs: max ${Math.max(0, ...verifiedRanks)}; histogram ${JSON.stringify(Object.fromEntries([1, 2, 3, 4, 5, 8].map(k => [k, verifiedRanks.filter(r => r <= k).length])))}`);
for (const k of [1, 2, 3, 4, 8]) {
	const bounded = candidates.filter(pair => !pair.ways.every(way => way.window) || rank.get(pair)! <= k);
	const links = verify(bounded);
	const same = JSON.stringify(links) === JSON.stringify(full);
	console.log(`bound k=${k}: ${bounded.length - (candidates.length - windowOnly.length)} window-only pairs kept, ${links.length} links, ${same ? 'same links' : 'LINKS DIFFER'}`);
}
catalog.close();
