/**
 * Disjoint sets over the indices 0…n-1, with path compression. Each set's root is its smallest index, so grouping by
 * root keeps the input order of the first member: duplicate clusters and companion units rely on it (issue 14: one
 * union-find for the whole program).
 */
export class UnionFind {
	private readonly parent: Int32Array;

	constructor(size: number) {
		this.parent = Int32Array.from({length: size}, (_, index) => index);
	}

	/** The root (smallest index) of the set holding `index`. */
	find(index: number): number {
		let root = index;
		while (this.parent[root] !== root) {
			root = this.parent[root]!;
		}

		while (this.parent[index] !== root) {
			const next = this.parent[index]!;
			this.parent[index] = root;
			index = next;
		}

		return root;
	}

	/** Joins the sets of `a` and `b`; the smaller root becomes the root of both. */
	union(a: number, b: number): void {
		const rootA = this.find(a);
		const rootB = this.find(b);
		if (rootA !== rootB) {
			this.parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
		}
	}
}
