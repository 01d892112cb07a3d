/**
 * The tree preview of a plan (issue 8): target folders as a tree, each with a few of its files and where they come
 * from, so a reorganisation can be judged before anything moves. Pure; the caller sanitises nothing (this does).
 */
import {middleEllipsis, sanitize} from './sanitize.js';

/** One planned placement. */
export type TreeMove = {
	readonly from: string;
	readonly to: string;
	/** A short note after the source, e.g. which rule placed the file (`rule 2`, issue 17). */
	readonly note?: string;
};

/** Preview limits. */
export type TreeOptions = {
	/** Terminal width; lines are cut to fit. */
	readonly columns?: number;
	/** Files listed per folder before "… and N more". */
	readonly filesPerFolder?: number;
	/** Folders shown before the rest is summarised. */
	readonly maxFolders?: number;
};

type Node = {children: Map<string, Node>; files: TreeMove[]; total: number};

const newNode = (): Node => ({children: new Map(), files: [], total: 0});

/** Lines of the tree preview, sorted by folder name. */
export function renderTree(moves: readonly TreeMove[], options: TreeOptions = {}): string[] {
	const columns = Math.max(40, options.columns ?? 80);
	const perFolder = options.filesPerFolder ?? 3;
	const maxFolders = options.maxFolders ?? 200;
	const root = newNode();
	for (const move of moves) {
		const parts = move.to.split('/');
		let node = root;
		node.total++;
		for (const part of parts.slice(0, -1)) {
			let child = node.children.get(part);
			if (!child) {
				child = newNode();
				node.children.set(part, child);
			}

			child.total++;
			node = child;
		}

		node.files.push(move);
	}

	const lines: string[] = [];
	let folders = 0;
	let hiddenFolders = 0;
	const fit = (text: string) => middleEllipsis(text, columns);
	const visit = (node: Node, depth: number) => {
		const indent = '  '.repeat(depth);
		const files = [...node.files].sort((a, b) => (a.to < b.to ? -1 : 1));
		for (const move of files.slice(0, perFolder)) {
			const name = move.to.slice(move.to.lastIndexOf('/') + 1);
			lines.push(fit(`${indent}${sanitize(name)}  <- ${sanitize(move.from)}${move.note ? `  (${sanitize(move.note)})` : ''}`));
		}

		if (files.length > perFolder) {
			lines.push(`${indent}… and ${files.length - perFolder} more`);
		}

		for (const [name, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
			if (folders >= maxFolders) {
				hiddenFolders++;
				continue;
			}

			folders++;
			lines.push(fit(`${indent}${sanitize(name)}/  (${child.total} ${child.total === 1 ? 'file' : 'files'})`));
			visit(child, depth + 1);
		}
	};

	visit(root, 0);
	if (hiddenFolders > 0) {
		lines.push(`… and ${hiddenFolders} more folders (--json lists every move)`);
	}

	return lines;
}
