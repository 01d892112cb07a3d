import {type CommandContext, type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';
import {loadConfig} from '../source/config.js';
import {middleEllipsis, safeJson, sanitize} from '../source/core/sanitize.js';
import {type Cluster, findDuplicates, type KindFilter, type Sensitivity, sensitivities} from '../source/dupes/find.js';
import {findLibrary, openForRead, openForWrite, UserError} from '../source/library.js';
import {formatBytes} from '../source/ui/format.js';

export const description = 'List duplicate clusters (exact, same pixels, near) with a suggested keeper and why';
export const usage = 'curate dupes [--kind exact|pixels|near|similar|all] [--sensitivity strict|normal|loose] [--json]';
export const examples = [
	'curate dupes',
	'curate dupes --kind exact --json',
	'curate dupes --kind similar',
	'curate dupes --not-duplicates 3f2a9c1b7d40',
];

const kinds = ['exact', 'pixels', 'near', 'similar', 'all'] as const;

export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	kind: {type: 'string', default: 'all', description: 'exact (same bytes), pixels (same image, other metadata), near (re-processed copies), similar (other shots of one moment, only on request), all (exact+pixels+near)'},
	sensitivity: {type: 'string', default: 'normal', description: 'Near-duplicate matching: strict, normal or loose'},
	distance: {type: 'number', description: 'pHash radius for near duplicates (overrides --sensitivity; normal is 8)'},
	notDuplicates: {type: 'string', description: 'Record that cluster ID is not duplicates (kept by content, so it never comes back)'},
	limit: {type: 'number', default: 50, description: 'Clusters shown in the text listing (JSON always lists all)'},
};

function printClusters(clusters: Cluster[], kind: KindFilter, limit: number, columns: number, stdout: NodeJS.WriteStream): void {
	const total = clusters.reduce((sum, cluster) => sum + cluster.reclaimableBytes, 0);
	const plural = clusters.length === 1 ? '' : 's';
	const lines = [
		kind === 'similar'
			? clusters.length === 0
				? 'No similar shots found.'
				: `${clusters.length} group${plural} of similar shots: different photos of one moment, shown for choosing, not as duplicates.`
			: clusters.length === 0
				? 'No duplicates found.'
				: `${clusters.length} duplicate cluster${plural}; resolving them frees ${formatBytes(total)}.`,
	];
	const width = Math.max(30, columns - 40);
	for (const cluster of clusters.slice(0, limit)) {
		lines.push('', `[${cluster.kind}] ${cluster.id} · ${cluster.members.length} files · frees ${formatBytes(cluster.reclaimableBytes)}${cluster.kind === 'near' ? ` · distance ${cluster.distance}` : ''}`);
		for (const member of cluster.members) {
			const size = member.width ? `${member.width}x${member.height}` : '';
			const mark = (member.keeper ? (cluster.kind === 'similar' ? 'best' : 'keep') : member.match).padEnd(7);
			lines.push(`  ${mark} ${middleEllipsis(sanitize(member.path), width)}  ${size} ${member.format} ${formatBytes(member.bytes)}`);
			if (member.reasons.length > 0) {
				lines.push(`          ${sanitize(member.reasons.slice(0, 3).join('; '))}`);
			}

			for (const companion of member.companions) {
				lines.push(`          + ${middleEllipsis(sanitize(companion), width)}`);
			}
		}
	}

	if (clusters.length > limit) {
		lines.push('', `… and ${clusters.length - limit} more clusters (--limit N, or --json for all).`);
	}

	stdout.write(lines.join('\n') + '\n');
}

/** `curate dupes`. */
export async function run({flags: options, stdout, cwd}: CommandContext): Promise<number> {
	const kind = String(options.kind) as KindFilter;
	if (!kinds.includes(kind)) {
		throw new UserError(`--kind must be one of ${kinds.join(', ')}`);
	}

	const sensitivity = String(options.sensitivity) as Sensitivity;
	if (!(sensitivity in sensitivities)) {
		throw new UserError('--sensitivity must be strict, normal or loose');
	}

	const distance = options.distance as number | undefined;
	if (distance !== undefined && (!Number.isInteger(distance) || distance < 0 || distance > 32)) {
		throw new UserError('--distance must be a whole number from 0 to 32');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const config = loadConfig(library);
	const notDuplicates = options.notDuplicates as string | undefined;
	const catalog = notDuplicates ? undefined : openForRead(library);
	const writer = notDuplicates ? openForWrite(library) : undefined;
	const db = catalog ?? writer!.catalog;
	try {
		const clusters = findDuplicates(db.allPresent(), {kind: notDuplicates ? 'all' : kind, sensitivity, distance, keeper: config.keeper, distinct: db.distinctPairs()});
		if (notDuplicates) {
			const cluster = clusters.find(candidate => candidate.id === notDuplicates) ?? findDuplicates(db.allPresent(), {kind: 'similar', sensitivity, distance, distinct: db.distinctPairs()}).find(candidate => candidate.id === notDuplicates);
			if (!cluster) {
				throw new UserError(`no current cluster has id ${notDuplicates} (see curate dupes)`);
			}

			const added = db.markDistinct(cluster.members.map(member => member.sha256));
			stdout.write(options.json ? safeJson({cluster: cluster.id, pairs: added.length}) + '\n' : `Cluster ${cluster.id} (${cluster.members.length} files) is marked as not duplicates; it will not come back after rescans, moves or renames.\n`);
			return 0;
		}

		if (options.json) {
			stdout.write(safeJson({clusters, reclaimableBytes: clusters.reduce((sum, cluster) => sum + cluster.reclaimableBytes, 0)}) + '\n');
		} else {
			printClusters(clusters, kind, Number(options.limit), stdout.columns || 100, stdout);
		}

		return 0;
	} finally {
		db.close();
		writer?.release();
	}
}
