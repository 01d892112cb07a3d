import assert from 'node:assert/strict';
import test from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {forEachConcurrent, mapConcurrent} from '../source/concurrency.js';

test('the pool starts items in order, never more than its width at once, and returns results in input order', async () => {
	let running = 0;
	let most = 0;
	const started: number[] = [];
	const results = await mapConcurrent([30, 5, 20, 1, 10, 2, 0], 3, async (ms, index) => {
		started.push(index);
		running++;
		most = Math.max(most, running);
		await sleep(ms);
		running--;
		return ms * 2;
	});
	assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
	assert.equal(most, 3);
	assert.deepEqual(results, [60, 10, 40, 2, 20, 4, 0]);
	assert.deepEqual(await mapConcurrent([], 4, async () => 1), []);
});

test('after an abort no further item starts, running ones finish, and the call resolves', async () => {
	const controller = new AbortController();
	const finished: number[] = [];
	await forEachConcurrent(
		Array.from({length: 100}, (_, index) => index),
		2,
		async index => {
			if (index === 3) {
				controller.abort();
			}

			await sleep(5);
			finished.push(index);
		},
		{signal: controller.signal},
	);
	assert.deepEqual(finished.sort((a, b) => a - b), [0, 1, 2, 3]);
});

test('the first error rejects the call and no further item starts', async () => {
	const started: number[] = [];
	await assert.rejects(
		forEachConcurrent([0, 1, 2, 3, 4, 5, 6, 7], 2, async index => {
			started.push(index);
			await sleep(index === 1 ? 1 : 20);
			if (index === 1) {
				throw new Error('boom');
			}
		}),
		/boom/,
	);
	await sleep(50);
	assert.deepEqual(started, [0, 1], "item 1 failed before item 0 finished: nothing else started");
});
