/**
 * The layers of issue 14, read from the imports themselves with the TypeScript compiler's parser: source/core imports
 * nothing outside core; only source/db imports better-sqlite3 (and the connection behind a Catalog); only source/ui
 * (and the commands, which cli.tsx loads lazily) imports Ink or React; nothing cli.tsx loads eagerly reaches them;
 * and no folders import each other in a circle, type imports included. Each failure names the offending import.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import ts from 'typescript';

type Import = {
	/** The file that imports, relative to the project root with `/` separators. */
	readonly from: string;
	readonly specifier: string;
	/** The imported file (relative, `/` separators) for a relative import that resolves to a source file. */
	readonly target: string | undefined;
	readonly line: number;
	/** `import type`, `export type`, `import('x').T` in a type: gone at run time. */
	readonly typeOnly: boolean;
	/** A dynamic `import()`: loaded only when the code runs. */
	readonly lazy: boolean;
};

const root = path.resolve(import.meta.dirname, '..');

/** Every import of one file. A .tsx file with JSX imports react/jsx-runtime without saying so (jsx: react-jsx). */
function importsOf(file: string, text: string, exists: (file: string) => boolean): Import[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
	const found: Import[] = [];
	const add = (specifier: string, node: ts.Node, typeOnly: boolean, lazy: boolean) => {
		found.push({from: file, specifier, target: resolve(file, specifier, exists), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, typeOnly, lazy});
	};

	let jsx: ts.Node | undefined;
	const visit = (node: ts.Node): void => {
		if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
			const clause = node.importClause;
			const bindings = clause?.namedBindings;
			const typeOnly = clause !== undefined && (clause.isTypeOnly || (!clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every(element => element.isTypeOnly)));
			add(node.moduleSpecifier.text, node, typeOnly, false);
		} else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
			add(node.moduleReference.expression.text, node, node.isTypeOnly, false);
		} else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
			add(node.moduleSpecifier.text, node, node.isTypeOnly, false);
		} else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
			const [argument] = node.arguments;
			if (argument && ts.isStringLiteralLike(argument)) {
				add(argument.text, node, false, true);
			}
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
			add(node.argument.literal.text, node, true, false);
		} else if (ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node)) {
			jsx ??= node;
		}

		ts.forEachChild(node, visit);
	};

	visit(source);
	if (jsx) {
		add('react/jsx-runtime', jsx, false, false);
	}

	return found;
}

function resolve(file: string, specifier: string, exists: (file: string) => boolean): string | undefined {
	if (!specifier.startsWith('.')) {
		return undefined;
	}

	const base = path.posix.join(path.posix.dirname(file), specifier).replace(/\.(?:js|jsx|ts|tsx)$/, '');
	return ['.ts', '.tsx', '/index.ts', '/index.tsx'].map(ending => base + ending).find(candidate => exists(candidate));
}

/** The folder a file belongs to for the cycle check: `source/X` for files under it, the file itself at the top. */
function folderOf(file: string): string {
	const parts = file.split('/');
	if (parts[0] === 'commands') {
		return 'commands';
	}

	return parts.length > 2 ? parts.slice(0, 2).join('/') : file;
}

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
const isInkOrReact = (specifier: string) => ['ink', 'react', 'react-dom'].includes(packageOf(specifier)) || packageOf(specifier).startsWith('ink-');
const show = (i: Import) => `${i.from}:${i.line} imports ${i.specifier}${i.typeOnly ? ' (type)' : ''}${i.lazy ? ' (lazy)' : ''}`;

/** Every broken rule, one line each naming the import; empty when the layers hold. */
export function layerViolations(files: ReadonlyMap<string, string>): string[] {
	const exists = (file: string) => files.has(file);
	const imports = [...files].flatMap(([file, text]) => importsOf(file, text, exists));
	const problems: string[] = [];
	for (const i of imports) {
		const inSource = i.from.startsWith('source/');
		if (i.from.startsWith('source/core/') && !i.target?.startsWith('source/core/')) {
			problems.push(`core must import only core: ${show(i)}`);
		}

		if (packageOf(i.specifier) === 'better-sqlite3' && !i.from.startsWith('source/db/')) {
			problems.push(`only source/db may import better-sqlite3: ${show(i)}`);
		}

		if (i.target === 'source/db/connection.ts' && !i.from.startsWith('source/db/')) {
			problems.push(`only source/db may reach a catalog's connection: ${show(i)}`);
		}

		if (inSource && !i.from.startsWith('source/ui/') && isInkOrReact(i.specifier)) {
			problems.push(`only source/ui (and commands/) may import Ink or React: ${show(i)}`);
		}

		if (i.specifier.startsWith('.') && i.target === undefined) {
			problems.push(`import resolves to no source file: ${show(i)}`);
		}
	}

	problems.push(...eagerInk(imports, exists), ...folderCycles(imports));
	return problems;
}

/** What cli.tsx loads before a command runs (static, non-type imports) must not reach Ink or React. */
function eagerInk(imports: readonly Import[], exists: (file: string) => boolean): string[] {
	const entry = 'source/cli.tsx';
	if (!exists(entry)) {
		return [];
	}

	const byFile = new Map<string, Import[]>();
	for (const i of imports.filter(i => !i.typeOnly && !i.lazy)) {
		byFile.set(i.from, [...(byFile.get(i.from) ?? []), i]);
	}

	const via = new Map<string, Import | undefined>([[entry, undefined]]);
	const queue = [entry];
	const problems: string[] = [];
	for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
		for (const i of byFile.get(file) ?? []) {
			if (isInkOrReact(i.specifier)) {
				const chain: string[] = [];
				for (let step = via.get(file); step; step = via.get(step.from)) {
					chain.unshift(step.from);
				}

				problems.push(`cli.tsx loads Ink or React before a command runs (${[...chain, file].join(' → ')}): ${show(i)}; import the command lazily`);
			} else if (i.target && !via.has(i.target)) {
				via.set(i.target, i);
				queue.push(i.target);
			}
		}
	}

	return problems;
}

/** One line per circle of folders (strongly connected component), showing an import for each step of a circle. */
function folderCycles(imports: readonly Import[]): string[] {
	const edges = new Map<string, Map<string, Import>>();
	for (const i of imports) {
		const [a, b] = [folderOf(i.from), i.target && folderOf(i.target)];
		if (b && a !== b) {
			const out = edges.get(a) ?? new Map<string, Import>();
			edges.set(a, out);
			if (!out.has(b)) {
				out.set(b, i);
			}
		}
	}

	// Tarjan's strongly connected components.
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const components: string[][] = [];
	const connect = (node: string): void => {
		index.set(node, index.size);
		low.set(node, index.get(node)!);
		stack.push(node);
		for (const next of edges.get(node)?.keys() ?? []) {
			if (!index.has(next)) {
				connect(next);
				low.set(node, Math.min(low.get(node)!, low.get(next)!));
			} else if (stack.includes(next)) {
				low.set(node, Math.min(low.get(node)!, index.get(next)!));
			}
		}

		if (low.get(node) === index.get(node)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				component.push(member);
			} while (member !== node);
			components.push(component);
		}
	};

	for (const node of [...edges.keys()].sort()) {
		if (!index.has(node)) {
			connect(node);
		}
	}

	return components.filter(component => component.length > 1).map(component => {
		// The shortest circle through the component's first folder, found breadth-first inside the component.
		const members = new Set(component);
		const start = [...component].sort()[0]!;
		const previous = new Map<string, string>();
		const queue = [start];
		let last: string | undefined;
		for (let node = queue.shift(); node !== undefined && last === undefined; node = queue.shift()) {
			for (const next of edges.get(node)?.keys() ?? []) {
				if (next === start) {
					last = node;
					break;
				}

				if (members.has(next) && !previous.has(next)) {
					previous.set(next, node);
					queue.push(next);
				}
			}
		}

		const circle = [start];
		for (let node = last; node !== undefined && node !== start; node = previous.get(node)) {
			circle.splice(1, 0, node);
		}

		const steps = circle.map((node, at) => show(edges.get(node)!.get(circle[(at + 1) % circle.length]!)!));
		return `folders import each other in a circle (${[...circle, start].join(' → ')}): ${steps.join('; ')}`;
	});
}

function projectFiles(): Map<string, string> {
	const files = new Map<string, string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(path.join(root, dir), {withFileTypes: true})) {
			const relative = `${dir}/${entry.name}`;
			if (entry.isDirectory()) {
				walk(relative);
			} else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
				files.set(relative, fs.readFileSync(path.join(root, relative), 'utf8'));
			}
		}
	};

	walk('source');
	walk('commands');
	return files;
}

test('the layers hold: core stays pure, SQL stays in db/, Ink stays in ui/ and the commands, no folders in a circle', () => {
	const files = projectFiles();
	assert.ok(files.size > 100, `read ${files.size} files`);
	assert.deepEqual(layerViolations(files), []);
});

test('the layering check names each kind of offending import', () => {
	const files = new Map([
		['source/cli.tsx', "import * as spec from '../commands/show.spec.js';\nconst load = async () => import('../commands/show.js');"],
		['commands/show.spec.ts', "import {Text} from 'ink';"],
		['commands/show.tsx', "import {render} from 'ink';\nimport {Catalog} from '../source/db/catalog.js';"],
		['source/core/pure.ts', "import fs from 'node:fs';\nimport type {X} from '../media/a.js';\nimport {ok} from './ok.js';"],
		['source/core/ok.ts', 'export const ok = 1;'],
		['source/media/a.ts', "import {b} from '../export/b.js';\nimport Database from 'better-sqlite3';\nexport type X = 1;"],
		['source/export/b.ts', "import type {X} from '../media/a.js';\nimport {connectionOf} from '../db/connection.js';\nexport const b = 1;"],
		['source/db/catalog.ts', "import Database from 'better-sqlite3';\nimport {connectionOf} from './connection.js';"],
		['source/db/connection.ts', 'export const connectionOf = 1;'],
		['source/review/view.tsx', "const x = <Box/>;\nimport {gone} from './missing.js';"],
	]);
	assert.deepEqual(layerViolations(files).sort(), [
		'cli.tsx loads Ink or React before a command runs (source/cli.tsx → commands/show.spec.ts): commands/show.spec.ts:1 imports ink; import the command lazily',
		'core must import only core: source/core/pure.ts:1 imports node:fs',
		'core must import only core: source/core/pure.ts:2 imports ../media/a.js (type)',
		'folders import each other in a circle (source/export → source/media → source/export): source/export/b.ts:1 imports ../media/a.js (type); source/media/a.ts:1 imports ../export/b.js',
		'import resolves to no source file: source/review/view.tsx:2 imports ./missing.js',
		'only source/db may import better-sqlite3: source/media/a.ts:2 imports better-sqlite3',
		'only source/db may reach a catalog\'s connection: source/export/b.ts:2 imports ../db/connection.js',
		'only source/ui (and commands/) may import Ink or React: source/review/view.tsx:1 imports react/jsx-runtime',
	]);
});
