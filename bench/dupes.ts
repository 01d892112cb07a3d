/**
 * npm run bench:dupes — duplicate detection at scale and its accuracy.
 *
 * 1. Scale: clusters synthetic sets of 100,000 and 1,000,000 64-bit hashes (15% planted near copies) with the
 *    multi-index Hamming index at the normal radius, printing seconds and peak memory, and the all-pairs time on
 *    20,000 for the ratio.
 * 2. Accuracy: builds (once, cached in bench/.data) the labelled near-duplicate set — variants of the sample library's
 *    originals and, when ../shared/photos is present, of real photos, plus hard negatives — scans it and prints
 *    pairwise precision, recall and F1 per transformation kind for each sensitivity.
 */
import fs from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {endExiftool} from '../source/adapters/exif.js';
import {Catalog} from '../source/db/catalog.js';
import {evaluateClusters, type Label} from '../source/dupes/evaluate.js';
import {type Sensitivity, sensitivities} from '../source/dupes/find.js';
import {searchClusters} from '../source/dupes/in-catalog.js';
import {thumbnailCheckCounts, thumbnailCheckTrace} from '../source/dupes/thumb-judge.js';
import {libraryAt} from '../source/library.js';
import {closeDecoders} from '../source/media/decode.js';
import {scanLibrary} from '../source/scan/scan.js';
import {runScaleBench} from './dupes-scale.js';
import {buildNearDupSet} from './near-dup-set.mjs';

const {values} = parseArgs({options: {'skip-scale': {type: 'boolean', default: false}, 'skip-accuracy': {type: 'boolean', default: false}, trace: {type: 'string'}}});

/** CPU time (user and system, every thread of the process: the thumbnail reader's worker included) since `start`, in ms. */
function cpuSince(start: NodeJS.CpuUsage): number {
	const {user, system} = process.cpuUsage(start);
	return (user + system) / 1000;
}

if (!values['skip-scale']) {
	console.log('== scale');
	await runScaleBench({radius: sensitivities.normal.distance});
}

if (!values['skip-accuracy']) {
	console.log('\n== accuracy');
	const corpus = path.resolve(import.meta.dirname, '../../shared/photos');
	const hasCorpus = fs.existsSync(path.join(corpus, 'MANIFEST.md'));
	const root = path.resolve(import.meta.dirname, '.data', hasCorpus ? 'near-dup-set-corpus' : 'near-dup-set');
	const stale = () => (JSON.parse(fs.readFileSync(path.join(root, 'labels.json'), 'utf8')) as {version?: number}).version !== 2;
	if (!fs.existsSync(path.join(root, 'labels.json')) || stale()) {
		fs.rmSync(root, {recursive: true, force: true});
		console.log(`building the labelled set in ${root}${hasCorpus ? ' (with the real-photo corpus)' : ' (no corpus found: sample-library sources only)'}…`);
		await buildNearDupSet(root, hasCorpus ? {corpusDir: corpus} : {});
	}

	const labels = (JSON.parse(fs.readFileSync(path.join(root, 'labels.json'), 'utf8')) as {files: Label[]}).files;
	const library = libraryAt(root);
	const catalog = Catalog.open(library.catalogPath);
	const scan = await scanLibrary(library, catalog);
	console.log(`${labels.length} labelled files (${scan.added} scanned now, ${scan.unchanged} from the catalog)`);
	const files = catalog.allPresent();
	const pathOf = new Map(files.map(file => [file.id, file.path]));
	for (const sensitivity of Object.keys(sensitivities) as Sensitivity[]) {
		// As `curate dupes` runs it: light records, signatures, detail grids and window hashes read from the catalog. Always
		// a search, never the clusters an earlier run kept in the catalog (which a changed finder would otherwise measure).
		const started = performance.now();
		const cpuStarted = process.cpuUsage();
		const checked = {...thumbnailCheckCounts};
		thumbnailCheckTrace.judged = values.trace ? [] : undefined;
		const clusters = searchClusters(catalog, {kind: 'all', sensitivity});
		const ms = performance.now() - started;
		const cpuMs = cpuSince(cpuStarted);
		if (values.trace) {
			// Every pair the thumbnail check judged, in order, with what it saw: diff two runs' files to compare decisions.
			fs.mkdirSync(values.trace, {recursive: true});
			const lines = thumbnailCheckTrace.judged!.map(pair => JSON.stringify({...pair, a: pathOf.get(pair.a), b: pathOf.get(pair.b)}));
			fs.writeFileSync(path.join(values.trace, `thumb-judged-${sensitivity}.jsonl`), lines.join('\n') + '\n');
			thumbnailCheckTrace.judged = undefined;
		}

		const {overall, byKind} = evaluateClusters(clusters.map(cluster => cluster.members.map(member => member.path)), labels);
		// Thresholds are tuned on the 'tune' half of the sources; the 'test' half is the honest figure (issue 15).
		const test = evaluateClusters(clusters.map(cluster => cluster.members.map(member => member.path)), labels.filter(label => label.half === 'test'));
		const tune = evaluateClusters(clusters.map(cluster => cluster.members.map(member => member.path)), labels.filter(label => label.half === 'tune'));
		console.log(`\n${sensitivity}, tuning half: precision ${tune.overall.precision.toFixed(3)}, recall ${tune.overall.recall.toFixed(3)}, F1 ${tune.overall.f1.toFixed(3)}`);
		console.log(`${sensitivity}, test half: precision ${test.overall.precision.toFixed(3)}, recall ${test.overall.recall.toFixed(3)}, F1 ${test.overall.f1.toFixed(3)}`);
		console.log(`${sensitivity}, whole set: precision ${overall.precision.toFixed(3)}, recall ${overall.recall.toFixed(3)}, F1 ${overall.f1.toFixed(3)} (${overall.correct}/${overall.predictedPairs} predicted pairs correct, ${overall.truePairs} true pairs)`);
		console.log(`${sensitivity}, speed: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (user + system) for ${files.length} files (${(cpuMs / files.length).toFixed(2)} ms CPU a file)`);
		console.log(
			`${sensitivity}, thumbnail check: ${thumbnailCheckCounts.pairs - checked.pairs} pairs judged (${thumbnailCheckCounts.rejected - checked.rejected} rejected), `
				+ `${thumbnailCheckCounts.reads - checked.reads} thumbnails read (${thumbnailCheckCounts.unreadable - checked.unreadable} unreadable); `
				+ `${(thumbnailCheckCounts.compareMs - checked.compareMs).toFixed(0)} ms comparing, ${(thumbnailCheckCounts.readMs - checked.readMs).toFixed(0)} ms waiting for reads`,
		);
		for (const [kind, score] of test.byKind) {
			if (kind !== 'original') {
				console.log(`  test half ${kind.padEnd(14)} ${score.truePairs > 0 ? `recall ${score.recall.toFixed(3)}` : `look-alike: ${score.predictedPairs} false pairs`}`);
			}
		}

		for (const [kind, score] of byKind) {
			if (kind === 'original') {
				continue;
			}

			console.log(
				score.truePairs > 0
					? `  ${kind.padEnd(12)} precision ${score.precision.toFixed(3)}  recall ${score.recall.toFixed(3)}  F1 ${score.f1.toFixed(3)}`
					: `  ${kind.padEnd(12)} hard negative: ${score.predictedPairs} false pairs`,
			);
		}
	}

	// The cost of the thumbnail check, measured in this run: `normal` again with the grids' decision alone.
	const normal = sensitivities.normal as {thumbnail?: unknown};
	const kept = normal.thumbnail;
	const cpu: number[] = [];
	const judged = thumbnailCheckCounts.pairs;
	for (const check of [false, true]) {
		normal.thumbnail = check ? kept : undefined;
		const cpuStarted = process.cpuUsage();
		searchClusters(catalog, {kind: 'all', sensitivity: 'normal'});
		cpu.push(cpuSince(cpuStarted));
		console.log(`\nnormal, ${check ? 'with' : 'without'} the thumbnail check: ${cpu.at(-1)!.toFixed(0)} ms CPU (user + system)`);
	}

	const pairs = thumbnailCheckCounts.pairs - judged;
	console.log(`normal, the thumbnail check's cost: ${((cpu[1]! - cpu[0]!) / pairs).toFixed(1)} ms CPU a judged pair (${pairs} pairs)`);

	normal.thumbnail = kept;
	catalog.close();
	await endExiftool();
	await closeDecoders();
}
