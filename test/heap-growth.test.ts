// A search over a million photos holds about a GB to its end while allocating steadily; V8 let the heap grow to
// twice that before collecting (2.1 GB of memory for 1 GB of data, issue 15). boundHeapGrowth must take effect in a
// process that is already running, which V8 does not promise for every flag: measured here in real processes.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {test} from 'node:test';
import {tsxLoader} from './helpers/cli.js';

const module = pathToFileURL(path.resolve(import.meta.dirname, '../source/heap-growth.ts')).href;

/** Peak heap of a process that keeps a large live set and promotes garbage steadily, the shape of a search. */
async function peakHeap(bounded: boolean): Promise<number> {
	const program = `
		${bounded ? `const {boundHeapGrowth} = await import(${JSON.stringify(module)}); boundHeapGrowth(10);` : ''}
		const live = [];
		for (let i = 0; i < 600_000; i++) live.push({a: i, b: 'x' + i, c: [i]});
		const ring = new Array(32).fill(null);
		let peak = 0;
		for (let round = 0; round < 160; round++) {
			const batch = [];
			for (let i = 0; i < 10_000; i++) batch.push({a: i, b: 'y' + i + round, c: [i, round]});
			ring[round % 32] = batch;
			peak = Math.max(peak, process.memoryUsage().heapTotal);
		}
		console.log(peak, live.length);`;
	const {stdout} = await promisify(execFile)(process.execPath, ['--import', tsxLoader, '--input-type=module', '-e', program]);
	return Number(stdout.split(' ')[0]);
}

test('a long search keeps the heap near what it holds: the bound on heap growth takes effect in a running process', async () => {
	const [free, bounded] = await Promise.all([peakHeap(false), peakHeap(true)]);
	assert.ok(bounded < free * 0.8, `peak heap ${Math.round(bounded / 1e6)} MB bounded, ${Math.round(free / 1e6)} MB not`);
});
