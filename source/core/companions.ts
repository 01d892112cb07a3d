/**
 * Files that belong together and must land in one folder with matching names (issue #8): a Live Photo's still and
 * movie (same ContentIdentifier), RAW + JPEG/HEIC of one shot (same folder, same stem), and XMP sidecars
 * (`name.ext.xmp` beside `name.ext`, or `name.xmp` beside a file with stem `name`). Bursts (same BurstUUID) are
 * separate units that share one folder. Pure.
 */
import {splitName} from './pattern.js';
import {unionFind} from './union-find.js';

/** What grouping needs to know about one file. */
export type CompanionItem = {
	/** Unique key (a source path). */
	readonly key: string;
	/** The folder it sits in, to match stems within one folder only. */
	readonly dir: string;
	readonly name: string;
	/** `sidecar` for XMP files; media kinds otherwise. */
	readonly kind: 'image' | 'raw' | 'video' | 'sidecar' | 'other';
	readonly livePhotoId?: string | null;
	readonly burstId?: string | null;
};

/** How a member relates to its unit's leader. */
export type CompanionRole = 'primary' | 'raw' | 'live-video' | 'same-shot' | 'sidecar';

/** One unit: files moved together. The leader's date and camera decide the folder. */
export type CompanionUnit = {
	readonly leader: string;
	readonly members: ReadonlyArray<{readonly key: string; readonly role: CompanionRole; readonly sidecarOf?: string}>;
	readonly burstId?: string;
};

const rank = {image: 0, raw: 1, video: 2, other: 3, sidecar: 4} as const;

/** Sidecar files are recognised by name: their content is XML any editor may have written. */
export const isSidecarName = (name: string) => /\.xmp$/i.test(name);

/**
 * Groups files into companion units, in input order of their leaders. A sidecar whose photo is not in `items`
 * forms no unit: it is returned in `orphans` (its photo may already be in the library, or missing).
 */
export function groupCompanions(items: readonly CompanionItem[]): {units: CompanionUnit[]; orphans: string[]} {
	const sets = unionFind(items.length);
	const media = items.map((item, index) => ({item, index})).filter(({item}) => item.kind !== 'sidecar');
	const byStem = new Map<string, number>();
	const byLive = new Map<string, number>();
	const byName = new Map<string, number>();
	for (const {item, index} of media) {
		const stemKey = `${item.dir}\0${splitName(item.name).stem.toLowerCase()}`;
		const other = byStem.get(stemKey);
		if (other === undefined) {
			byStem.set(stemKey, index);
		} else {
			sets.union(other, index);
		}

		byName.set(`${item.dir}\0${item.name.toLowerCase()}`, index);
		if (item.livePhotoId) {
			const twin = byLive.get(item.livePhotoId);
			if (twin === undefined) {
				byLive.set(item.livePhotoId, index);
			} else {
				sets.union(twin, index);
			}
		}
	}

	const sidecarOf = new Map<number, number>();
	const orphans: string[] = [];
	for (const [index, item] of items.entries()) {
		if (item.kind !== 'sidecar') {
			continue;
		}

		const inner = item.name.slice(0, -4);
		// `IMG_1.CR2.xmp` names its photo exactly; `IMG_1.xmp` (Lightroom, darktable) names a stem, which a RAW owns first.
		const target = byName.get(`${item.dir}\0${inner.toLowerCase()}`) ?? byStem.get(`${item.dir}\0${inner.toLowerCase()}`);
		if (target === undefined) {
			orphans.push(item.key);
		} else {
			const stemMates = media.filter(({item: other}) => other.dir === item.dir && splitName(other.name).stem.toLowerCase() === inner.toLowerCase());
			const owner = inner.includes('.') ? target : (stemMates.find(({item: other}) => other.kind === 'raw')?.index ?? target);
			sidecarOf.set(index, owner);
			sets.union(owner, index);
		}
	}

	const groups = new Map<number, number[]>();
	for (const [index, item] of items.entries()) {
		if (item.kind === 'sidecar' && !sidecarOf.has(index)) {
			continue;
		}

		const root = sets.find(index);
		const list = groups.get(root) ?? [];
		list.push(index);
		groups.set(root, list);
	}

	const units: CompanionUnit[] = [];
	for (const indices of groups.values()) {
		const mediaIndices = indices.filter(index => items[index]!.kind !== 'sidecar');
		const leaderIndex = [...mediaIndices].sort((a, b) => rank[items[a]!.kind] - rank[items[b]!.kind] || a - b)[0]!;
		const leader = items[leaderIndex]!;
		const members = indices.map(index => {
			const item = items[index]!;
			const role: CompanionRole =
				index === leaderIndex
					? 'primary'
					: item.kind === 'sidecar'
						? 'sidecar'
						: item.kind === 'raw'
							? 'raw'
							: item.kind === 'video' && item.livePhotoId && item.livePhotoId === leader.livePhotoId
								? 'live-video'
								: 'same-shot';
			const owner = sidecarOf.get(index);
			return owner === undefined ? {key: item.key, role} : {key: item.key, role, sidecarOf: items[owner]!.key};
		});
		const burstId = mediaIndices.map(index => items[index]!.burstId).find(Boolean);
		units.push(burstId ? {leader: leader.key, members, burstId} : {leader: leader.key, members});
	}

	return {units, orphans};
}
