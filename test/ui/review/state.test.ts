import assert from 'node:assert/strict';
import {test} from 'node:test';
import {finished, initialState, progressOf, reduce, type ReviewEvent, type ReviewState} from '../../../source/ui/review/state.js';

const clusters = ['a', 'b', 'c', 'd'].map(id => ({id, members: [1, 2, 3]}));
const start = () => initialState(clusters, {current: null, skipped: [], freed: 0});
const run = (state: ReviewState, ...events: ReviewEvent[]) => events.reduce(reduce, state);
const kept = (batchId: string, freedBytes: number): ReviewEvent => ({type: 'decided', status: 'kept', result: {batchId, freedBytes, summary: 'ok'}});

test('choosing stays within the cluster', () => {
	assert.equal(run(start(), {type: 'choose', delta: -1}).selected, 0);
	assert.equal(run(start(), {type: 'choose', delta: 1}, {type: 'choose', delta: 1}, {type: 'choose', delta: 1}).selected, 2);
});

test('a decision records its batch, adds the freed bytes and moves to the next undecided cluster', () => {
	const state = run(start(), {type: 'choose', delta: 1}, {type: 'busy', text: 'x'}, kept('b1', 100));
	assert.equal(state.index, 1);
	assert.equal(state.selected, 0);
	assert.equal(state.freed, 100);
	assert.equal(state.busy, null);
	assert.deepEqual(state.statuses, ['kept', 'pending', 'pending', 'pending']);
	assert.deepEqual(state.history, [{clusterIndex: 0, status: 'kept', previousStatus: 'pending', batchId: 'b1', freedBytes: 100}]);
});

test('skipped clusters come back after the undecided ones, then the review is finished', () => {
	let state = run(start(), {type: 'skip'}, kept('b1', 1), kept('b2', 1), kept('b3', 1));
	assert.equal(state.index, 0, 'only the skipped cluster is left');
	assert.equal(finished(state), false);
	state = run(state, kept('b4', 1));
	assert.equal(finished(state), true);
	assert.equal(progressOf(state).current, null);
});

test('undo restores the status, position and freed bytes of the last decision only', () => {
	const state = run(start(), kept('b1', 100), {type: 'skip'}, kept('b2', 50), {type: 'undone', summary: 'back'});
	assert.equal(state.index, 2);
	assert.equal(state.freed, 100);
	assert.deepEqual(state.statuses, ['kept', 'skipped', 'pending', 'pending']);
	const again = run(state, {type: 'undone', summary: 'back'});
	assert.equal(again.index, 1);
	assert.deepEqual(again.statuses, ['kept', 'pending', 'pending', 'pending']);
	assert.equal(again.history.length, 1);
});

test('a failure keeps the position and shows the error', () => {
	const state = run(start(), {type: 'busy', text: 'x'}, {type: 'failed', error: 'disk full'});
	assert.equal(state.index, 0);
	assert.deepEqual(state.message, {text: 'disk full', error: true});
	assert.equal(state.busy, null);
});

test('the saved progress resumes at its cluster; skipped ones are remembered', () => {
	const state = initialState(clusters, {current: 'c', skipped: ['a'], freed: 7});
	assert.equal(state.index, 2);
	assert.equal(state.freed, 7);
	assert.deepEqual(progressOf(state), {current: 'c', skipped: ['a'], freed: 7});
	const gone = initialState(clusters, {current: 'zzz', skipped: ['a'], freed: 0});
	assert.equal(gone.index, 1, 'a vanished cluster resumes at the first one not skipped');
});

test('views toggle', () => {
	const state = run(start(), {type: 'view', view: 'help'});
	assert.equal(state.view, 'help');
	assert.equal(run(state, {type: 'view', view: 'help'}).view, 'cluster');
});
