import assert from 'node:assert/strict';
import {test} from 'node:test';
import {editDistance, nearest, unknownFlags, wantsHelp} from '../source/argv.js';
import type {FlagSpec} from '../source/command.js';

const flags: Record<string, FlagSpec> = {
	library: {type: 'string', description: ''},
	apply: {type: 'string', description: ''},
	dryRun: {type: 'boolean', description: ''},
	json: {type: 'boolean', description: ''},
};

test('--help or -h anywhere before -- asks for help; after -- it is an argument', () => {
	assert.equal(wantsHelp(['--library', 'L', '--apply', 'keepers', '--help']), true);
	assert.equal(wantsHelp(['-h', '--json']), true);
	assert.equal(wantsHelp(['--', '--help']), false);
	assert.equal(wantsHelp(['--helpful']), false);
});

test('unknown flags are found with the nearest known flag; negations and values are known', () => {
	assert.deepEqual(unknownFlags(['--aply', 'keepers', '--dryrun', '--no-json', '--library=L', '-1'], flags), [
		{flag: '--aply', suggestion: '--apply'},
		{flag: '--dryrun', suggestion: '--dry-run'},
	]);
	assert.deepEqual(unknownFlags(['--zzzzzz'], flags), [{flag: '--zzzzzz'}]);
	assert.deepEqual(unknownFlags(['--', '--whatever'], flags), []);
});

test('edit distance counts a swap of two letters as one slip', () => {
	assert.equal(editDistance('dupse', 'dupes'), 1);
	assert.equal(nearest('dupse', ['dupes', 'undo', 'scan']), 'dupes');
	assert.equal(nearest('xyz', ['dupes', 'undo', 'scan']), undefined);
});
