/**
 * Stages 1 and 2 of duplicate finding: the same bytes (SHA-256) and the same pixels (the metadata-blind content hash).
 */
import type {Allowed, DupeKind, Link, Unit} from './types.js';

/**
 * Links units whose key is the same. With `shared` (the catalog ids of the files whose key some other file has too, or
 * a superset), the key of any other unit is never made: at a million photos those are 95 % of them.
 */
function groupBy(units: readonly Unit[], allowed: Allowed, key: (unit: Unit) => string | null | undefined, kind: DupeKind, shared?: ReadonlySet<number>): Link[] {
	const links: Link[] = [];
	// Most units share their key with no other: each key's first unit is kept as a number, and a list is made only for
	// a key seen again (a list per unit was a million arrays at a million photos). Groups keep first-seen order.
	const first = new Map<string, number>();
	const more = new Map<string, number[]>();
	for (const [index, unit] of units.entries()) {
		if (shared && !shared.has(unit.file.id)) {
			continue;
		}

		const value = key(unit);
		if (!value) {
			continue;
		}

		if (first.has(value)) {
			const list = more.get(value);
			if (list) {
				list.push(index);
			} else {
				more.set(value, [first.get(value)!, index]);
			}
		} else {
			first.set(value, index);
		}
	}

	for (const value of first.keys()) {
		const group = more.get(value);
		if (!group) {
			continue;
		}

		for (let i = 1; i < group.length; i++) {
			// One link to any earlier member that may be linked is enough to join the group.
			for (let j = 0; j < i; j++) {
				if (allowed(group[j]!, group[i]!) && (kind === 'exact' || (units[group[j]!]!.file.frames ?? 1) === (units[group[i]!]!.file.frames ?? 1))) {
					links.push({a: group[j]!, b: group[i]!, kind, distance: 0});
					break;
				}
			}
		}
	}

	return links;
}

/** Links units whose files have the same bytes; `shared`: the files whose SHA-256 another file has too, when known. */
export function groupExact(units: readonly Unit[], allowed: Allowed, shared?: ReadonlySet<number>): Link[] {
	return groupBy(units, allowed, unit => unit.file.sha256, 'exact', shared);
}

/**
 * Links pictures whose coded pixels are the same while their metadata differs. Frame counts must agree: an animation
 * and its first frame saved alone are different things. `shared`: the files whose content hash another file has too,
 * when known.
 */
export function groupPixels(units: readonly Unit[], allowed: Allowed, shared?: ReadonlySet<number>): Link[] {
	return groupBy(units, allowed, unit => (unit.file.kind === 'image' || unit.file.kind === 'raw' ? unit.file.contentHash : null), 'pixels', shared);
}
