import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {readWhole} from '../../source/scan/read-whole.js';
import {tempDir} from '../helpers/temp.js';

test('the one-read file reader returns every byte of empty, small and photo-sized files, and fails on a missing one', async () => {
	const dir = tempDir();
	for (const size of [0, 1, 4097, 5 * 1024 * 1024 + 3]) {
		const file = path.join(dir, `f${size}`);
		const bytes = randomBytes(size);
		fs.writeFileSync(file, bytes);
		// eslint-disable-next-line no-await-in-loop
		const read = await readWhole(file);
		assert.equal(read.length, size);
		assert.ok(read.equals(bytes), `${size} bytes read back unchanged`);
	}

	await assert.rejects(readWhole(path.join(dir, 'absent')), {code: 'ENOENT'});
});

