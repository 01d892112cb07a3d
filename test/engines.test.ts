/**
 * NAS users run Node 20 or 22 (package.json `engines`: >= 20). A dependency that declares a newer Node only shows up
 * as an install warning, and then as a crash on the NAS: this reads the lockfile and names every installed package
 * (optional platform builds aside) whose own `engines.node` shuts out a Node release Curate supports. It found
 * puppeteer-core 25 and cookie 2 (through @fastify/cookie 11.1.5 and fastify's light-my-request 6.8), which want 22.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import semver from 'semver';

const root = path.resolve(import.meta.dirname, '..');
type LockPackage = {version?: string; engines?: {node?: string} | string[]; optional?: boolean; dev?: boolean};

test('every installed dependency runs on the Node releases Curate supports (20 and 22, as NAS users have them)', () => {
	const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {engines: {node: string}};
	const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockPackage>};
	// The current release of each supported line, as a NAS package manager installs it.
	const supported = ['20.19.0', '22.12.0'];
	for (const version of supported) {
		assert.ok(semver.satisfies(version, manifest.engines.node), `package.json engines admits ${version}`);
	}

	const refused: string[] = [];
	for (const [where, info] of Object.entries(lock.packages)) {
		const range = Array.isArray(info.engines) ? undefined : info.engines?.node;
		if (!where || !range || info.optional) {
			continue;
		}

		const shutOut = supported.filter(version => !semver.satisfies(version, range));
		if (shutOut.length > 0) {
			refused.push(`${where.replace(/^node_modules\//, '')}@${info.version} wants node ${range}, not ${shutOut.join(', ')}${info.dev ? ' (dev)' : ''}`);
		}
	}

	assert.deepEqual(refused, []);
});
