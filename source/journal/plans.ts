import type {Operation} from '../core/journal.js';
import type {Catalog} from '../db/catalog.js';
import type {Cluster} from '../dupes/find.js';

/** What `dupes --apply keepers` will do: the trash operations and the bytes they free. */
export type KeeperPlan = {
	readonly operations: Array<Extract<Operation, {kind: 'trash'}>>;
	readonly trashed: string[];
	readonly bytes: number;
	readonly clusters: number;
};

/**
 * Plans trashing every non-keeper (with its companions: a Live Photo's movie, a RAW beside its JPEG) of the given
 * clusters. A keeper, or a keeper's companion, is never trashed, even if it shows up as a loser in another cluster;
 * `similar` clusters (different shots) are skipped.
 */
export function planKeeperTrash(catalog: Catalog, clusters: readonly Cluster[]): KeeperPlan {
	const duplicates = clusters.filter(cluster => cluster.kind !== 'similar');
	const protectedPaths = new Set<string>();
	for (const cluster of duplicates) {
		for (const member of cluster.members.filter(candidate => candidate.keeper)) {
			protectedPaths.add(member.path);
			for (const companion of member.companions) {
				protectedPaths.add(companion);
			}
		}
	}

	const operations: KeeperPlan['operations'] = [];
	const seen = new Set<string>();
	for (const cluster of duplicates) {
		for (const member of cluster.members.filter(candidate => !candidate.keeper)) {
			for (const filePath of [member.path, ...member.companions]) {
				if (protectedPaths.has(filePath) || seen.has(filePath)) {
					continue;
				}

				const file = catalog.fileByPath(filePath);
				if (!file?.sha256 || file.status !== 'present') {
					continue;
				}

				seen.add(filePath);
				operations.push({kind: 'trash', path: filePath, sha256: file.sha256, size: file.size});
			}
		}
	}

	return {operations, trashed: operations.map(op => op.path), bytes: operations.reduce((sum, op) => sum + op.size, 0), clusters: duplicates.length};
}

/**
 * The "not duplicates" operation for files with these contents: only the pairs not recorded yet, so undo removes
 * exactly what this decision added. Undefined when every pair is already recorded.
 */
export function notDuplicatesOperation(catalog: Catalog, sha256s: readonly string[], cluster?: string): Operation | undefined {
	const unique = [...new Set(sha256s)].sort();
	const known = catalog.distinctPairs();
	const pairs: Array<[string, string]> = unique.length === 1 ? [[unique[0]!, unique[0]!]] : [];
	for (let i = 0; i < unique.length; i++) {
		for (let j = i + 1; j < unique.length; j++) {
			pairs.push([unique[i]!, unique[j]!]);
		}
	}

	const fresh = pairs.filter(([a, b]) => !known.has(`${a} ${b}`));
	return fresh.length === 0 ? undefined : {kind: 'mark-not-duplicate', ...(cluster ? {cluster} : {}), pairs: fresh};
}
