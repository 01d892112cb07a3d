import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Every file (relative path with `/` → SHA-256) and every folder (sorted) under `root`, `.curate` aside unless `skip`
 * says otherwise: what a test compares before a change and after its undo, to show every byte is back and no folder
 * is left behind.
 */
export function treeSnapshot(root: string, skip: (relative: string) => boolean = relative => relative === '.curate'): {files: Map<string, string>; folders: string[]} {
	const files = new Map<string, string>();
	const folders: string[] = [];
	const visit = (dir: string) => {
		for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			const relative = path.relative(root, full).split(path.sep).join('/');
			if (skip(relative)) {
				continue;
			}

			if (entry.isDirectory()) {
				folders.push(relative);
				visit(full);
			} else if (entry.isFile()) {
				files.set(relative, createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
			}
		}
	};

	visit(root);
	return {files, folders: folders.sort()};
}
