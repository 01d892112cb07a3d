// npm run bench:journal — throughput of journaled batches on 1,000 files of 200 KB in a temp library: trash and its
// undo (renames on one filesystem), then moving 1,000 files in from a folder outside the library (import --move:
// verified copies, then the sources removed) and its undo (copies back, library copies to the trash). Each run
// hashes every file before and after every step; the time spent checking the batch first is shown apart.
import fs from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import type {Operation} from '../source/core/journal.js';
import {type BatchProgress, openJournal} from '../source/journal/journal.js';
import {journalCard, journalLibrary} from '../test/helpers/journal-library.js';

const count = 1000;
const size = 200_000;
const {library, files} = journalLibrary(count, size);
const card = journalCard(library, count, size);
const {journal, close} = await openJournal(library);

async function measure(name: string, run: (onProgress: (progress: BatchProgress) => void) => Promise<unknown>): Promise<void> {
	const start = performance.now();
	let checked = 0;
	await run(progress => {
		if (progress.phase === 'checking' && progress.done === progress.total) {
			checked = performance.now() - start;
		}
	});
	const seconds = (performance.now() - start) / 1000;
	console.log(`${name.padEnd(14)} ${count} files in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} files/s, ${(count * size / 1e6 / seconds).toFixed(1)} MB/s (checking ${(checked / 1000).toFixed(2)} s)`);
}

await measure('trash:', async onProgress => journal.apply({command: 'bench', label: 'trash', operations: files.map(file => ({kind: 'trash', path: file.path, sha256: file.sha256, size: file.size}))}, {onProgress}));
await measure('undo:', async onProgress => journal.undo(undefined, {onProgress}));
const moveIns: Operation[] = card.map((file, index) => ({kind: 'move-in', source: file.path, to: `in/${index % 10}/${path.basename(file.path)}`, sha256: file.sha256, size: file.size}));
await measure('move in:', async onProgress => journal.apply({command: 'bench', label: 'move in', operations: moveIns}, {onProgress}));
await measure('undo move in:', async onProgress => journal.undo(undefined, {onProgress}));
close();
if (fs.readdirSync(path.dirname(card[0]!.path)).length !== count) {
	throw new Error('the card is not whole again after the undo');
}
