import assert from 'node:assert/strict';
import {test} from 'node:test';
import {UserError} from '../../source/errors.js';
import * as share from '../../commands/share.js';
import {tempDir} from '../helpers/temp.js';
import {runInProcess} from './command.js';

test('a --title with a newline or an escape sequence is refused in one line before anything is shared, as a recipient name is', async () => {
	const library = tempDir();
	for (const title of ['Beach\nday', 'Beach \u001B[2Jday', 'Beach\u009Bday']) {
		// eslint-disable-next-line no-await-in-loop
		await assert.rejects(runInProcess(share, ['.'], {title, library}), (error: unknown) => error instanceof UserError && error.message === '--title takes 1 to 200 characters on one line, e.g. "Beach day"');
	}
});
