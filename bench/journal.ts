// npm run bench:journal — throughput of journaled trash and undo (rename on one filesystem, each file hashed before
// and after, each operation committed twice with synchronous=FULL), on 1,000 files of 200 KB in a temp library.
import {performance} from 'node:perf_hooks';
import {openJournal} from '../source/journal/journal.js';
import {journalLibrary} from '../test/helpers/journal-library.js';

const count = 1000;
const {library, files} = journalLibrary(count, 200_000);
const {journal, close} = await openJournal(library);
let start = performance.now();
await journal.apply({command: 'bench', label: 'trash', operations: files.map(file => ({kind: 'trash' as const, path: file.path, sha256: file.sha256, size: file.size}))});
const trash = performance.now() - start;
start = performance.now();
await journal.undo();
const undo = performance.now() - start;
close();
console.log(`trash: ${count} files in ${(trash / 1000).toFixed(2)} s = ${Math.round(count / (trash / 1000))} files/s`);
console.log(`undo:  ${count} files in ${(undo / 1000).toFixed(2)} s = ${Math.round(count / (undo / 1000))} files/s`);
