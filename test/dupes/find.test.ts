import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {type Cluster, findDuplicates} from '../../source/dupes/find.js';
import {libraryAt} from '../../source/library.js';
import {scanLibrary} from '../../source/scan/scan.js';
import {runCli, runJson} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import type {FixtureManifest} from '../../media-fixtures/build.mjs';

async function scan(root: string) {
	const library = libraryAt(root);
	const catalog = Catalog.open(library.catalogPath);
	try {
		return await scanLibrary(library, catalog);
	} finally {
		catalog.close();
	}
}

function clusterOf(clusters: Cluster[], file: string): Cluster | undefined {
	return clusters.find(cluster => cluster.members.some(member => member.path === file));
}

describe('duplicate clusters of the sample library', () => {
	let root: string;
	let manifest: FixtureManifest;
	let clusters: Cluster[];
	before(async () => {
		({root, manifest} = await sampleLibrary());
		await scan(root);
		({json: {clusters}} = await runJson(['dupes', '--json', '--library', root]));
	});

	test('each original is grouped with its copies and variants, and with nothing else', () => {
		const groups = new Map<string, Set<string>>();
		for (const file of manifest.files) {
			// A file derived from an original is a copy too: the PNG saved as .jpg, and the truncated copy, whose part
			// that decodes matches (issue 15).
			const of = file.of ?? (file.derivedFrom && file.role !== 'clutter' ? file.derivedFrom : undefined);
			if (of) {
				const set = groups.get(of) ?? new Set([of]);
				set.add(file.path);
				groups.set(of, set);
			}
		}

		for (const [original, expected] of groups) {
			const cluster = clusterOf(clusters, original);
			assert.ok(cluster, `${original} should be in a cluster`);
			const found = new Set(cluster.members.map(member => member.path));
			for (const file of expected) {
				assert.ok(found.has(file), `${file} should be clustered with ${original}; cluster: ${[...found].join(', ')}`);
			}

			for (const file of found) {
				assert.ok(expected.has(file), `${file} is not a copy of ${original}`);
			}
		}
	});

	test('burst frames and different photos are not duplicates', () => {
		for (const file of manifest.files.filter(file => file.role === 'burst' || file.role === 'color')) {
			const cluster = clusterOf(clusters, file.path);
			assert.equal(cluster, undefined, `${file.path} was clustered with ${cluster?.members.map(member => member.path).join(', ')}`);
		}
	});

	test('tiers are never mixed up: exact, pixels and near each mean what they say', () => {
		for (const cluster of clusters) {
			const shas = new Set(cluster.members.map(member => member.sha256));
			if (cluster.kind === 'exact') {
				assert.equal(shas.size, 1);
			} else {
				assert.ok(shas.size > 1);
			}

			const keeper = cluster.members.find(member => member.keeper)!;
			for (const member of cluster.members.filter(member => !member.keeper)) {
				if (member.match === 'exact') {
					assert.equal(member.sha256, keeper.sha256);
				}
			}
		}

		const strip = manifest.files.find(file => file.transform === 'strip')!;
		const stripped = clusterOf(clusters, strip.path)!.members.find(member => member.path === strip.path)!;
		assert.equal(stripped.match, 'pixels', 'metadata-stripped copy has the same pixels as its original');
	});

	test('the keeper is the camera original, with reasons for every member', () => {
		for (const cluster of clusters) {
			const keeper = cluster.members.find(member => member.keeper)!;
			const role = manifest.files.find(file => file.path === keeper.path)!.role;
			assert.ok(role === 'original' || cluster.kind === 'exact' || role === 'orientation', `${keeper.path} (${role}) kept in ${cluster.id}`);
			assert.equal(cluster.members.filter(member => member.keeper).length, 1);
			for (const member of cluster.members) {
				assert.ok(member.reasons.length > 0, `${member.path} has no reasons`);
			}

			assert.equal(cluster.reclaimableBytes, cluster.members.filter(member => !member.keeper).reduce((sum, member) => sum + member.bytes, 0));
		}
	});

	test('cluster ids are stable across moves, and "not duplicates" sticks', async () => {
		const cluster = clusters.find(candidate => candidate.kind === 'near')!;
		const moved = cluster.members.find(member => !member.keeper)!;
		fs.mkdirSync(path.join(root, 'elsewhere'), {recursive: true});
		fs.renameSync(path.join(root, moved.path), path.join(root, 'elsewhere', 'renamed.jpg'));
		await scan(root);
		const {json: after} = await runJson(['dupes', '--json', '--library', root]);
		assert.ok(after.clusters.some((candidate: Cluster) => candidate.id === cluster.id), 'same id after a rename');
		const marked = await runCli(['dupes', '--not-duplicates', cluster.id, '--library', root]);
		assert.equal(marked.code, 0, marked.stderr);
		await scan(root);
		const {json: final} = await runJson(['dupes', '--json', '--library', root]);
		assert.equal(final.clusters.some((candidate: Cluster) => candidate.id === cluster.id), false);
		assert.equal(final.clusters.length, after.clusters.length - 1);
	});

	test('--kind exact lists only byte-identical copies; --kind similar shows the burst', async () => {
		const {json: exact} = await runJson(['dupes', '--json', '--kind', 'exact', '--library', root]);
		assert.ok(exact.clusters.length > 0);
		assert.ok(exact.clusters.every((cluster: Cluster) => cluster.kind === 'exact'));
		const catalog = Catalog.open(libraryAt(root).catalogPath);
		const similar = findDuplicates(catalog.allPresent(), {kind: 'similar'});
		catalog.close();
		const burst = manifest.files.filter(file => file.role === 'burst').map(file => file.path);
		const cluster = clusterOf(similar, burst[0]!);
		assert.ok(cluster, 'burst frames are similar');
		assert.equal(cluster.kind, 'similar');
		assert.equal(cluster.reclaimableBytes, 0, 'similar shots are not presented as space to reclaim');
	});
});
