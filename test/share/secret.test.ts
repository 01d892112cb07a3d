import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {hashPassword, newToken, readPasswordFile, tokenPattern, verifyPassword} from '../../source/share/secret.js';
import {UserError} from '../../source/errors.js';
import {tempDir} from '../helpers/temp.js';

test('a token is 192 random bits in base64url: URL-safe, never repeated', () => {
	const tokens = Array.from({length: 1000}, () => newToken());
	assert.equal(new Set(tokens).size, tokens.length);
	for (const token of tokens) {
		assert.match(token, /^[\w-]{32}$/);
		assert.equal(Buffer.from(token, 'base64url').length * 8, 192);
		assert.match(token, tokenPattern);
	}

	// Every base64url character turns up across a thousand tokens: the bits are spread, not a counter.
	assert.equal(new Set(tokens.join('')).size, 64);
});

test('a password is kept as an scrypt hash that accepts it, refuses others, and differs each time (salted)', async () => {
	const hash = await hashPassword('correct horse');
	assert.match(hash, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
	assert.notEqual(await hashPassword('correct horse'), hash);
	assert.equal(await verifyPassword(hash, 'correct horse'), true);
	assert.equal(await verifyPassword(hash, 'correct horse '), false);
	assert.equal(await verifyPassword(hash, ''), false);
	// The same text in another Unicode form is the same password (typed on a phone or on a Mac).
	const accented = await hashPassword('caf\u00E9');
	assert.equal(await verifyPassword(accented, 'cafe\u0301'), true);
	for (const broken of ['', 'plain', 'scrypt$1$1$1$x$y', hash.replace('scrypt', 'bcrypt'), 'scrypt$99999999$8$1$AAAA$AAAA']) {
		// eslint-disable-next-line no-await-in-loop
		assert.equal(await verifyPassword(broken, 'correct horse'), false, broken);
	}
});

test('a password file gives its first line; empty, missing or huge files are a clear error', () => {
	const dir = tempDir();
	const file = path.join(dir, 'pass');
	fs.writeFileSync(file, 'open sesame\r\nsecond line\n');
	assert.equal(readPasswordFile(file), 'open sesame');
	fs.writeFileSync(file, 'no newline');
	assert.equal(readPasswordFile(file), 'no newline');
	fs.writeFileSync(file, '\nlater');
	assert.throws(() => readPasswordFile(file), (error: unknown) => error instanceof UserError && /is empty/.test(error.message));
	fs.writeFileSync(file, 'x'.repeat(2000));
	assert.throws(() => readPasswordFile(file), /2000 bytes; a password file holds one line/);
	assert.throws(() => readPasswordFile(path.join(dir, 'missing')), /cannot read --password-file .*missing: ENOENT/);
	assert.throws(() => readPasswordFile(dir), /is not a file/);
});
