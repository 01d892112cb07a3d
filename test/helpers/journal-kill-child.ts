// Child process of the kill-and-recover test: applies a batch of trashes and moves to every catalogued file, then
// undoes it, with the test-only CURATE_TEST_KILL_AT hook stopping it by SIGKILL at one checkpoint. Without the hook
// it prints how many checkpoints the whole run passed.
import process from 'node:process';
import {libraryAt} from '../../source/library.js';
import {checkpointCount} from '../../source/journal/disk.js';
import {openJournal, type Operation} from '../../source/journal/journal.js';

const library = libraryAt(process.argv[2]!);
const {journal, catalog, close} = await openJournal(library);
const operations: Operation[] = catalog.allPresent().map((file, index) =>
	index % 2 === 0
		? {kind: 'trash', path: file.path, sha256: file.sha256!, size: file.size}
		: {kind: 'move', from: file.path, to: `moved/${file.path}`, sha256: file.sha256!, size: file.size},
);
await journal.apply({command: 'kill-test', label: 'trash and move everything', operations});
await journal.undo();
close();
process.stdout.write(`${checkpointCount()}\n`);
