/**
 * The registry of operation kinds (issue 14): every registered kind declares every part, its example is a valid
 * operation, and the journal engine names no kind (it looks behaviour up in the registry).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {kindParts} from '../../source/journal/kind.js';
import {describe, invalidOperation, kindOf, operationKinds, operationProblem} from '../../source/journal/kinds/index.js';

const sha = (letter: string) => letter.repeat(64);
const example = {
	photo: {path: 'a/photo.jpg', sha256: sha('a'), size: 10},
	other: {path: 'b/other.jpg', sha256: sha('b'), size: 20},
	outside: {path: '/media/card/DCIM/IMG_1.JPG', sha256: sha('c'), size: 30},
	trashed: {path: '.curate/trash/1/c/old.jpg', sha256: sha('d'), size: 40},
};

const functions = new Set<string>(['fieldsProblem', 'contentProblem', 'describe', 'example', 'pathProblem', 'touches', 'fills', 'footprint', 'preflight', 'forward', 'reverse', 'settle', 'forwardCatalog', 'reverseCatalog', 'replay']);
const flags = new Set<string>(['checkedWhenRun', 'undoable']);

test('every registered operation kind declares every part: data, path rules, effect, inverse, settling, catalog change and replay', () => {
	assert.ok(operationKinds.length >= 10, `${operationKinds.length} kinds registered`);
	assert.equal(new Set(operationKinds.map(kind => kind.kind)).size, operationKinds.length, 'each kind is registered once');
	// The list of parts covers the contract (checked at compile time) and each kind has each part, of the right sort.
	assert.equal(kindParts.length, functions.size + flags.size + 2);
	for (const kind of operationKinds) {
		assert.deepEqual(Object.keys(kind).sort(), [...kindParts].sort(), `${kind.kind} declares exactly the parts of a kind`);
		assert.match(kind.kind, /^[a-z]+(?:-[a-z]+)*$/);
		assert.ok(Object.keys(kind.schema).length > 0, `${kind.kind} has a schema`);
		for (const [field, spec] of Object.entries(kind.schema)) {
			assert.equal(typeof spec.check, 'function', `${kind.kind}.${field} has a check`);
		}

		for (const part of kindParts) {
			const value = (kind as Record<string, unknown>)[part];
			if (functions.has(part)) {
				assert.equal(typeof value, 'function', `${kind.kind}.${part} is a function`);
			} else if (flags.has(part)) {
				assert.equal(typeof value, 'boolean', `${kind.kind}.${part} is true or false`);
			}
		}
	}
});

test('each kind\'s example is a valid operation that the registry finds, describes in one line and whose footprint names its paths', () => {
	for (const kind of operationKinds) {
		const op = kind.example(example);
		assert.equal(op.kind, kind.kind);
		assert.equal(kindOf(op), kind);
		assert.equal(operationProblem(op), undefined, `${kind.kind}: ${JSON.stringify(operationProblem(op))}`);
		assert.equal(invalidOperation(op), undefined, kind.kind);
		assert.match(describe(op), /^\S.*\S$/);
		assert.equal(describe(op).includes('\n'), false);
		const footprint = kind.footprint(op, 7);
		for (const file of [...Object.keys(footprint.before), ...Object.keys(footprint.after), ...Object.keys(footprint.kept)]) {
			assert.ok(file.startsWith('/') || kind.touches(op).includes(file) || file.startsWith('.curate/trash/7/'), `${kind.kind}: footprint path ${file}`);
		}
	}
});

test('an unknown kind is refused with the registered kinds listed, in registry order', () => {
	const problem = operationProblem({kind: 'explode'});
	assert.equal(problem?.field, 'kind');
	assert.equal(problem?.problem, `is not a known operation (${operationKinds.map(kind => kind.kind).join(', ')})`);
});

test('the journal engine names no operation kind: it looks each one up in the registry', () => {
	const folder = path.resolve(import.meta.dirname, '../../source/journal');
	const engine = ['journal.ts', 'exchange.ts', 'disk.ts', 'kind.ts', 'relocation.ts'];
	for (const file of engine) {
		// Code only: comments may mention kinds as examples.
		const code = fs.readFileSync(path.join(folder, file), 'utf8').replaceAll(/\/\*[\s\S]*?\*\//g, '').replaceAll(/\/\/.*$/gm, '');
		for (const {kind} of operationKinds) {
			assert.equal(code.includes(`'${kind}'`) || code.includes(`"${kind}"`) || code.includes(`\`${kind}\``), false, `${file} names the kind ${kind}`);
		}
	}

	assert.equal(fs.existsSync(path.join(folder, 'effects.ts')), false, 'effects.ts, the old switchboard, is gone');
	const registered = fs.readdirSync(path.join(folder, 'kinds')).filter(name => name !== 'index.ts').map(name => name.replace(/\.ts$/, ''));
	assert.deepEqual(registered.sort(), operationKinds.map(kind => kind.kind).sort(), 'one module per registered kind, named after it');
});
