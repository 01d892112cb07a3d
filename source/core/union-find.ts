/**
 * Disjoint sets over 0 .. n - 1: the one union-find of Curate (duplicate clusters, companion units, the hash-index
 * benchmark). Pure. Each set's root is its smallest element, so grouping by root keeps the input order of each set's
 * first member: duplicate clusters and companion units rely on it.
 */

/** Disjoint sets over 0 .. n - 1. */
export type UnionFind = {
	/** The representative of x's set. */
	find(x: number): number;
	/** Merges the sets of a and b; returns false when they were already one set. */
	union(a: number, b: number): boolean;
};

/** Union-find with path compression, in a typed array so a million elements stay small. */
export function unionFind(n: number): UnionFind {
	const parent = new Uint32Array(n);
	for (let i = 0; i < n; i++) parent[i] = i;
	const check = (x: number) => {
		if (!Number.isInteger(x) || x < 0 || x >= n) throw new RangeError(`element ${x} is outside 0..${n - 1}`);
	};

	const find = (x: number): number => {
		check(x);
		let root = x;
		while (parent[root] !== root) root = parent[root]!;
		// Second pass points the whole path at the root, so later finds on it are one step.
		while (parent[x] !== root) {
			const next = parent[x]!;
			parent[x] = root;
			x = next;
		}

		return root;
	};

	return {
		find,
		union(a, b) {
			const rootA = find(a);
			const rootB = find(b);
			if (rootA === rootB) return false;
			// The smaller root stays the root of both (see above); path compression keeps finds short all the same.
			parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
			return true;
		},
	};
}
