// A long-running command for test/run/lifecycle.test.ts, run as a real process (through tsx) so that real signals
// reach it: it checks up to 1000 "files", 20 ms each, under the lifecycle every long command uses. `stops` ends at the
// first Ctrl-C, as an engine does; `stubborn` ignores the signal, so only a second Ctrl-C ends it.
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {runCommand} from '../../source/run/lifecycle.js';

const mode = process.argv[2] ?? 'stops';
const options = {
	name: 'demo',
	stdout: process.stdout,
	stderr: process.stderr,
	json: process.argv.includes('--json'),
	intervalMs: 200,
	interrupt: {
		forced: 'nothing was lost.',
		onStop() {
			process.stderr.write('stopping after the current file…\n');
		},
	},
};
process.exitCode = await runCommand(options, async ({signal, progress, defer}) => {
	defer(() => {
		process.stderr.write('teardown: first registered, last run\n');
	});
	defer(() => {
		process.stderr.write('teardown: last registered, first run\n');
	});
	const emit = await progress({kind: 'files', label: 'Checking'});
	let done = 0;
	while (done < 1000 && (mode === 'stubborn' || !signal.aborted)) {
		emit({done, total: 1000, current: `2024/file-${done}.jpg`});
		done++;
		// eslint-disable-next-line no-await-in-loop
		await delay(20);
	}

	return {json: {done}, text: () => [`Checked ${done} files.`], code: 1};
});
