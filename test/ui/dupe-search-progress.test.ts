import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {DupeSearchProgress} from '../../source/core/progress.js';
import {dupeSearchLine, dupeSearchProgress} from '../../source/ui/progress-lines.js';

/** A stderr that records what is written, a terminal or not, and a clock the test moves. */
function sink(isTTY: boolean) {
	const written: string[] = [];
	let time = 0;
	const stderr = Object.assign(
		{
			write(text: string) {
				written.push(text);
				return true;
			},
		},
		{isTTY},
	) as unknown as NodeJS.WritableStream & {isTTY: boolean};
	const progress = dupeSearchProgress(stderr, {now: () => time});
	return {
		written,
		progress,
		at(ms: number, event: DupeSearchProgress) {
			time = ms;
			progress.update(event);
		},
	};
}

const search: Array<[number, DupeSearchProgress]> = [
	[0, {phase: 'reading', done: 0, total: 0}],
	[900, {phase: 'lookup', done: 0, total: 1_000_000}],
	[2500, {phase: 'verifying', done: 4096, total: 365_000}],
	[2550, {phase: 'verifying', done: 8192, total: 365_000}],
	[4800, {phase: 'verifying', done: 365_000, total: 365_000}],
	[5000, {phase: 'ranking', done: 0, total: 176_828}],
	[5300, {phase: 'keeping', done: 0, total: 176_828}],
];

test('a duplicate search on a terminal rewrites one line, every phase at once and at most every 100 ms, and erases it at the end', () => {
	const {written, progress, at} = sink(true);
	for (const [ms, event] of search) at(ms, event);
	progress.finish();
	assert.deepEqual(written, [
		'\rfinding duplicates: reading the catalog\u001B[K',
		'\rfinding duplicates: looking up near copies among 1,000,000 photos\u001B[K',
		'\rfinding duplicates: verified 4,096/365,000 candidate pairs\u001B[K',
		// 8,192 came 50 ms after: not drawn.
		'\rfinding duplicates: verified 365,000/365,000 candidate pairs\u001B[K',
		'\rfinding duplicates: ranked 0/176,828 clusters\u001B[K',
		'\rfinding duplicates: keeping 176,828 clusters\u001B[K',
		'\r\u001B[K',
	]);
	progress.finish();
	assert.equal(written.length, 7, 'erased once');
});

test('off a terminal a duplicate search prints plain lines only once it has run 2 s, and a short one prints nothing', () => {
	const long = sink(false);
	for (const [ms, event] of search) long.at(ms, event);
	long.progress.finish();
	assert.deepEqual(long.written, [
		'finding duplicates: verified 4,096/365,000 candidate pairs\n',
		'finding duplicates: verified 365,000/365,000 candidate pairs\n',
		'finding duplicates: ranked 0/176,828 clusters\n',
		'finding duplicates: keeping 176,828 clusters\n',
	]);

	const short = sink(false);
	for (const [ms, event] of search) short.at(ms / 10, event);
	short.progress.finish();
	assert.deepEqual(short.written, []);
	assert.equal(dupeSearchLine({phase: 'lookup', done: 0, total: 12}), 'finding duplicates: looking up near copies among 12 photos');
});
