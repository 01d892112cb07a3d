// Runs every test file under test/ with Node's built-in runner and tsx, so TypeScript tests need no build step.
// Node 20's --test does not expand globs itself, hence this script. Extra arguments filter by path substring.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const filters = process.argv.slice(2);
const files = [];
const walk = dir => {
	for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory() && entry.name !== 'helpers') {
			walk(full);
		} else if (/\.test\.tsx?$/.test(entry.name)) {
			files.push(path.relative(root, full));
		}
	}
};

walk(path.join(root, 'test'));
const selected = files.sort().filter(file => filters.length === 0 || filters.some(filter => file.includes(filter)));
if (selected.length === 0) {
	console.error('no test files matched');
	process.exit(1);
}

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected], {
	cwd: root,
	stdio: 'inherit',
	env: {...process.env, TZ: 'UTC', NO_COLOR: '1', FORCE_COLOR: '0'},
});
process.exit(result.status ?? 1);
