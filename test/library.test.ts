import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../source/db/catalog.js';
import {findLibrary, libraryAt, lockLibrary, UserError} from '../source/library.js';
import {tempDir} from './helpers/temp.js';

test('findLibrary walks up to the nearest .curate, like git', () => {
	const root = tempDir();
	const library = libraryAt(root);
	Catalog.open(library.catalogPath).close();
	const deep = path.join(root, '2021', 'summer');
	fs.mkdirSync(deep, {recursive: true});
	assert.equal(findLibrary({cwd: deep}).root, fs.realpathSync(root) === root ? root : library.root);
	assert.equal(findLibrary({library: root, cwd: '/'}).root, library.root);
});

test('findLibrary explains what to do outside a library', () => {
	const dir = tempDir();
	assert.throws(() => findLibrary({cwd: dir}), (error: unknown) => error instanceof UserError && /curate scan/.test(error.message));
	assert.throws(() => findLibrary({library: dir}), /No Curate library/);
});

test('a second writer is told the library is busy, with the holder pid', async () => {
	const library = libraryAt(tempDir());
	fs.mkdirSync(library.dir, {recursive: true});
	const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {stdio: 'ignore'});
	try {
		fs.writeFileSync(library.lockPath, `${holder.pid}\n`);
		assert.throws(() => lockLibrary(library), new RegExp(`library is busy \\(pid ${holder.pid}\\)`));
	} finally {
		holder.kill('SIGKILL');
	}
});

test('a lock left by a dead process is taken over, and released again', async () => {
	const library = libraryAt(tempDir());
	fs.mkdirSync(library.dir, {recursive: true});
	const dead = spawn(process.execPath, ['-e', '0'], {stdio: 'ignore'});
	await new Promise(resolve => dead.on('close', resolve));
	fs.writeFileSync(library.lockPath, `${dead.pid}\n`);
	const release = lockLibrary(library);
	assert.equal(fs.readFileSync(library.lockPath, 'utf8').trim(), String(process.pid));
	release();
	assert.equal(fs.existsSync(library.lockPath), false);
});
