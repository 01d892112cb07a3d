import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import React from 'react';
import type {BatchProgress} from '../../source/core/progress.js';
import {BatchProgressView} from '../../source/ui/batch-progress.js';
import {plainProgress} from '../../source/ui/progress-lines.js';

/** The frame once it matches (Ink draws asynchronously, later under load), or the last one after two seconds. */
async function frameMatching(view: ReturnType<typeof render>, pattern: RegExp): Promise<string> {
	for (let waited = 0; waited < 2000 && !pattern.test(view.lastFrame() ?? ''); waited += 10) {
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 10));
	}

	return view.lastFrame() ?? '';
}

const state = (done: number, phase: BatchProgress['phase'] = 'applying'): BatchProgress => ({phase, done, total: 1000, bytes: done * 200_000, totalBytes: 200_000_000});

test('the batch view shows the phase, operations and bytes in one line of 80 columns, and follows the state', async () => {
	const view = render(<BatchProgressView state={state(0, 'checking')} verb="Trashing" columns={80} />);
	try {
		assert.match(view.lastFrame()!, /^Checking ░+ 0\/1000 0 B\/200 MB$/);
		view.rerender(<BatchProgressView state={state(250)} verb="Trashing" columns={80} />);
		const frame = await frameMatching(view, /250/);
		assert.match(frame, /^Trashing █+░+ 250\/1000 50\.0 MB\/200 MB$/);
		assert.ok(frame.length <= 80, `${frame.length} columns`);
		view.rerender(<BatchProgressView state={state(1000, 'undoing')} verb="Trashing" columns={80} />);
		assert.match(await frameMatching(view, /Undoing/), /^Undoing █+ 1000\/1000 200 MB\/200 MB$/);
	} finally {
		view.unmount();
		view.cleanup();
	}
});

/** A stream that remembers what was written. */
function sink(isTTY: boolean) {
	const written: string[] = [];
	return {written, stream: {isTTY, columns: 80, write: (text: string) => written.push(text) > 0} as unknown as NodeJS.WriteStream};
}

test('without a terminal (or with --json) progress is plain lines on stderr, throttled, none for a short batch, never on stdout', async () => {
	let clock = 0;
	const stdout = sink(true);
	const stderr = sink(false);
	const short = plainProgress({kind: 'batch', verb: 'Undoing'}, {stderr: stderr.stream, name: 'undo', now: () => clock});
	for (let done = 0; done <= 3; done++) {
		clock += 10;
		short.update({...state(done, 'undoing'), total: 3});
	}

	await short.finish();
	assert.deepEqual(stderr.written, [], 'a batch done within the interval prints nothing');

	const long = plainProgress({kind: 'batch', verb: 'Trashing'}, {stderr: stderr.stream, name: 'dupes', now: () => clock});
	for (let done = 0; done <= 1000; done++) {
		clock += 10;
		long.update(state(done, done < 300 ? 'checking' : 'applying'));
	}

	await long.finish();
	assert.deepEqual(stdout.written, [], 'nothing on stdout under --json');
	assert.deepEqual(stderr.written, [
		'dupes: checking 199/1000, 39.8 MB of 200 MB\n',
		'dupes: trashing 300/1000, 60.0 MB of 200 MB\n',
		'dupes: trashing 500/1000, 100 MB of 200 MB\n',
		'dupes: trashing 700/1000, 140 MB of 200 MB\n',
		'dupes: trashing 900/1000, 180 MB of 200 MB\n',
		'dupes: trashing 1000/1000, 200 MB of 200 MB\n',
	]);
});
