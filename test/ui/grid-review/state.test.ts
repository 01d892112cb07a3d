import assert from 'node:assert/strict';
import {test} from 'node:test';
import {finished, gridReducer, initialGridState, onLastPage, pageOf} from '../../../source/ui/grid-review/state.js';

type Counts = {readonly confirmed: number; readonly rejected: number; readonly named: number};
const reduce = gridReducer<string, number, number, 'name', Counts>(item => item, {lastPage: 'This is the last page.'});
const items = Array.from({length: 10}, (_, index) => index);
const start = () => initialGridState<string, number, number, 'name', Counts>(['a', 'b'], items, {confirmed: 0, rejected: 0, named: 0});

test('the cursor moves within the page only; paging clears marks and says where the ends are', () => {
	let state = reduce(start(), {type: 'move', dx: 1, dy: 1, gridColumns: 3});
	assert.equal(state.cursor, 4);
	assert.equal(reduce(state, {type: 'move', dx: 0, dy: 3, gridColumns: 3}).cursor, 4, 'off the queue: no move');
	state = reduce(state, {type: 'mark', perPage: 6});
	assert.deepEqual([...state.marked], [4]);
	assert.deepEqual(pageOf(state, 6), [0, 1, 2, 3, 4, 5]);
	state = reduce(state, {type: 'page', delta: 1, perPage: 6});
	assert.deepEqual({offset: state.offset, cursor: state.cursor, marked: state.marked.size}, {offset: 6, cursor: 0, marked: 0});
	assert.ok(onLastPage(state, 6));
	assert.equal(reduce(state, {type: 'page', delta: 1, perPage: 6}).message?.text, 'This is the last page.');
	state = reduce(state, {type: 'mark-all', perPage: 6});
	assert.deepEqual([...state.marked], [6, 7, 8, 9]);
	assert.equal(reduce(state, {type: 'mark-all', perPage: 6}).marked.size, 0, 'again: unmark all');
});

test('a decided page counts its batch and starts the next at its first item; undo takes back exactly that batch', () => {
	let state = reduce(start(), {type: 'move', dx: 2, dy: 0, gridColumns: 3});
	state = reduce(state, {type: 'mark', perPage: 6});
	state = reduce(state, {type: 'applied', batch: 7, summary: 'done', items: items.slice(6), counts: {confirmed: 5, rejected: 1}, clearMarks: true, restart: true});
	assert.deepEqual({cursor: state.cursor, marked: state.marked.size, counts: state.counts}, {cursor: 0, marked: 0, counts: {confirmed: 5, rejected: 1, named: 0}});
	assert.deepEqual(state.history, [{batch: 7, sectionIndex: 0, counts: {confirmed: 5, rejected: 1, named: 0}}]);
	state = reduce(state, {type: 'move', dx: 3, dy: 0, gridColumns: 3});
	state = reduce(state, {type: 'mark', perPage: 6});
	// A change that keeps the place: marks stay, the cursor stays on the page (clamped to what is left).
	const kept = reduce(state, {type: 'applied', batch: 8, summary: 'rated', items: items.slice(6, 8), counts: {}, clearMarks: false, restart: false});
	assert.deepEqual({cursor: kept.cursor, marked: [...kept.marked]}, {cursor: 1, marked: [9]});
	state = reduce(kept, {type: 'undone', summary: 'undone', items: items.slice(6)});
	assert.deepEqual(state.counts, {confirmed: 5, rejected: 1, named: 0});
	state = reduce(state, {type: 'undone', summary: 'undone', items});
	assert.deepEqual({counts: state.counts, history: state.history.length, items: state.items.length}, {counts: {confirmed: 0, rejected: 0, named: 0}, history: 0, items: 10});
});

test('an empty section hands over to the next; the last one empty is the end', () => {
	let state = reduce(start(), {type: 'applied', batch: 1, summary: 'done', items: [], counts: {confirmed: 10}, clearMarks: true, restart: true});
	assert.equal(finished(state), false);
	state = reduce(state, {type: 'next-section', items: [42]});
	assert.deepEqual({section: state.sectionIndex, items: state.items, message: state.message?.text}, {section: 1, items: [42], message: 'done'});
	state = reduce(state, {type: 'applied', batch: 2, summary: 'done', items: [], counts: {named: 1}, clearMarks: true, restart: false});
	assert.ok(finished(state));
	state = reduce(state, {type: 'undone', summary: 'back', items: [42]});
	assert.equal(state.sectionIndex, 1, 'undo returns to the section the batch was made in');
});
