#!/usr/bin/env node
// Must stay the first import: it settles the colour level before chalk (through Ink) loads.
import './no-color.js';
// Also first: React chooses its production or development build when it loads.
import './production.js';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import * as backupSpec from '../commands/backup.spec.js';
import * as dupesSpec from '../commands/dupes.spec.js';
import * as editSpec from '../commands/edit.spec.js';
import * as exportSpec from '../commands/export.spec.js';
import * as facesSpec from '../commands/faces.spec.js';
import * as importSpec from '../commands/import.spec.js';
import * as journalSpec from '../commands/journal.spec.js';
import * as modelsSpec from '../commands/models.spec.js';
import * as organizeSpec from '../commands/organize.spec.js';
import * as peopleSpec from '../commands/people.spec.js';
import * as peopleNameSpec from '../commands/people-name.spec.js';
import * as peopleReviewSpec from '../commands/people-review.spec.js';
import * as placesSpec from '../commands/places.spec.js';
import * as purgeSpec from '../commands/purge.spec.js';
import * as redoSpec from '../commands/redo.spec.js';
import * as restoreSpec from '../commands/restore.spec.js';
import * as reviewSpec from '../commands/review.spec.js';
import * as scanSpec from '../commands/scan.spec.js';
import * as searchSpec from '../commands/search.spec.js';
import * as serveSpec from '../commands/serve.spec.js';
import * as showSpec from '../commands/show.spec.js';
import * as statusSpec from '../commands/status.spec.js';
import * as tagSpec from '../commands/tag.spec.js';
import * as tagsExportSpec from '../commands/tags-export.spec.js';
import * as tagsImportSpec from '../commands/tags-import.spec.js';
import * as tagsListSpec from '../commands/tags-list.spec.js';
import * as tagsReviewSpec from '../commands/tags-review.spec.js';
import * as tagsStatsSpec from '../commands/tags-stats.spec.js';
import * as shareSpec from '../commands/share.spec.js';
import * as shareListSpec from '../commands/share-list.spec.js';
import * as shareRevokeSpec from '../commands/share-revoke.spec.js';
import * as shareExtendSpec from '../commands/share-extend.spec.js';
import * as shareAddRecipientSpec from '../commands/share-add-recipient.spec.js';
import * as shareLogSpec from '../commands/share-log.spec.js';
import * as sharePurgeSpec from '../commands/share-purge.spec.js';
import * as undoSpec from '../commands/undo.spec.js';
import * as verifySpec from '../commands/verify.spec.js';
import * as watchSpec from '../commands/watch.spec.js';
import {runCleanups} from './cleanup.js';
import type {CommandSpec, FlagSpec, LazyCommand} from './command.js';
import {sanitize} from './core/sanitize.js';
import {describeUnknownFlags, kebab, nearest, unknownFlags, wantsHelp} from './argv.js';
import {UserError} from './errors.js';

/**
 * Static command map: type-checked, unlike a runtime readdir of commands/. Each entry holds the command's spec (help
 * text and flags, cheap) and loads the command itself only when it runs, so `--help`, `--version` and the command
 * list load no engine, and a command loads only its own.
 */
const commands: Record<string, LazyCommand> = {
	scan: {...scanSpec, load: async () => import('../commands/scan.js')},
	show: {...showSpec, load: async () => import('../commands/show.js')},
	dupes: {...dupesSpec, load: async () => import('../commands/dupes.js')},
	review: {...reviewSpec, load: async () => import('../commands/review.js')},
	undo: {...undoSpec, load: async () => import('../commands/undo.js')},
	redo: {...redoSpec, load: async () => import('../commands/redo.js')},
	journal: {...journalSpec, load: async () => import('../commands/journal.js')},
	purge: {...purgeSpec, load: async () => import('../commands/purge.js')},
	edit: {...editSpec, load: async () => import('../commands/edit.js')},
	import: {...importSpec, load: async () => import('../commands/import.js')},
	organize: {...organizeSpec, load: async () => import('../commands/organize.js')},
	places: {...placesSpec, load: async () => import('../commands/places.js')},
	watch: {...watchSpec, load: async () => import('../commands/watch.js')},
	tag: {...tagSpec, load: async () => import('../commands/tag.js')},
	search: {...searchSpec, load: async () => import('../commands/search.js')},
	models: {...modelsSpec, load: async () => import('../commands/models.js')},
	faces: {...facesSpec, load: async () => import('../commands/faces.js')},
	people: {...peopleSpec, load: async () => import('../commands/people.js')},
	'people name': {...peopleNameSpec, load: async () => import('../commands/people-name.js')},
	'people review': {...peopleReviewSpec, load: async () => import('../commands/people-review.js')},
	'tags review': {...tagsReviewSpec, load: async () => import('../commands/tags-review.js')},
	'tags list': {...tagsListSpec, load: async () => import('../commands/tags-list.js')},
	'tags stats': {...tagsStatsSpec, load: async () => import('../commands/tags-stats.js')},
	'tags export': {...tagsExportSpec, load: async () => import('../commands/tags-export.js')},
	'tags import': {...tagsImportSpec, load: async () => import('../commands/tags-import.js')},
	export: {...exportSpec, load: async () => import('../commands/export.js')},
	verify: {...verifySpec, load: async () => import('../commands/verify.js')},
	status: {...statusSpec, load: async () => import('../commands/status.js')},
	backup: {...backupSpec, load: async () => import('../commands/backup.js')},
	restore: {...restoreSpec, load: async () => import('../commands/restore.js')},
	// `share SELECTION` makes a share; `share list` and the rest are entries of their own, matched first (issue 20).
	share: {...shareSpec, load: async () => import('../commands/share.js')},
	'share list': {...shareListSpec, load: async () => import('../commands/share-list.js')},
	'share revoke': {...shareRevokeSpec, load: async () => import('../commands/share-revoke.js')},
	'share extend': {...shareExtendSpec, load: async () => import('../commands/share-extend.js')},
	'share add-recipient': {...shareAddRecipientSpec, load: async () => import('../commands/share-add-recipient.js')},
	'share log': {...shareLogSpec, load: async () => import('../commands/share-log.js')},
	'share purge': {...sharePurgeSpec, load: async () => import('../commands/share-purge.js')},
	serve: {...serveSpec, load: async () => import('../commands/serve.js')},
};

/** Flags every command accepts, handled here rather than by the command. */
const globalFlags: Record<string, FlagSpec> = {
	verbose: {type: 'boolean', default: false, description: 'Show stack traces of unexpected errors'},
	breakLock: {type: 'boolean', default: false, description: 'First remove a library lock left behind by a process that is not a running curate command'},
};

function flagHelp(flags: Readonly<Record<string, FlagSpec>>): string {
	const rows = Object.entries({...flags, ...globalFlags}).map(([name, spec]) => {
		const short = spec.shortFlag ? `-${spec.shortFlag}, ` : '';
		const value = spec.type === 'boolean' ? '' : ` ${spec.type === 'number' ? 'N' : 'VALUE'}`;
		return [`${short}--${kebab(name)}${value}`, spec.description + (spec.default !== undefined && spec.type !== 'boolean' ? ` (default: ${String(spec.default)})` : '')];
	});
	const width = Math.max(...rows.map(([left]) => left!.length));
	return rows.map(([left, right]) => `    ${left!.padEnd(width)}  ${right}`).join('\n');
}

function commandHelp(name: string, command: CommandSpec): string {
	const examples = command.examples?.length ? `\n  Examples\n${command.examples.map(example => `    $ ${example}`).join('\n')}\n` : '';
	return `
  ${command.description}

  Usage
    $ ${command.usage}

  Options
${flagHelp(command.flags)}
${examples}`;
}

function mainHelp(): string {
	const width = Math.max(...Object.keys(commands).map(name => name.length));
	const list = Object.entries(commands)
		.map(([name, command]) => `    ${name.padEnd(width)}  ${command.description}`)
		.join('\n');
	return `
  Curate: a terminal-first photo library curator. Scans a photo library into a local catalog, finds
  duplicates and lets you triage them by keyboard, tags and searches photos with a local AI model,
  imports and organizes, exports without GPS, and checks and backs up the library. Every change is
  journaled and undoable (curate undo); removed files go to a trash, never deleted outright.

  Usage
    $ curate <command> [options]
    $ curate                       the home screen: what the library holds and what waits for you

  Commands
${list}

  Run \`curate <command> --help\` for a command's options.
`;
}

/**
 * The version in the nearest package.json above this file (source/ under tsx, build/source/ when built), read
 * directly: meow, which printed it before, is the largest module `--version` would otherwise load.
 */
function packageVersion(): string {
	for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (fs.existsSync(file)) {
			return String((JSON.parse(fs.readFileSync(file, 'utf8')) as {version?: unknown}).version);
		}

		if (path.dirname(dir) === dir) {
			throw new Error('package.json not found above the CLI');
		}
	}
}

async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
	const name = argv[0];
	if (!name) {
		// The home screen, the status without a terminal, how to start outside a library (issue 14). It runs the next
		// suggested command through main itself, as if typed.
		const home = await import('../commands/home.js');
		return home.run({input: [], flags: {}, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd()}, async args => main(args));
	}

	if (name === '--help' || name === '-h' || name === 'help') {
		process.stdout.write(mainHelp());
		return 0;
	}

	if (name === '--version' || name === '-v') {
		process.stdout.write(`${packageVersion()}\n`);
		return 0;
	}

	// Two-word commands (`tags review`) are entries of their own; `curate tags` alone lists them.
	const pair = `${name} ${argv[1] ?? ''}`;
	const [commandName, rest] = commands[pair] ? [pair, argv.slice(2)] : [name, argv.slice(1)];
	const group = Object.keys(commands).filter(key => key.startsWith(`${name} `));
	if (!commands[commandName] && group.length > 0) {
		const width = Math.max(...group.map(key => key.length));
		const help = `\n  Usage\n    $ curate ${sanitize(name)} <subcommand> [options]\n\n  Subcommands\n${group.map(key => `    ${key.padEnd(width)}  ${commands[key]!.description}`).join('\n')}\n\n`;
		if (wantsHelp(argv.slice(1))) {
			process.stdout.write(help);
			return 0;
		}

		const guess = argv[1]?.startsWith('-') ? undefined : nearest(pair, group);
		process.stderr.write(argv[1] === undefined ? help : `curate: unknown subcommand "${sanitize(pair)}"${guess ? ` (did you mean "${guess}"?)` : ''}\n${help}`);
		return 2;
	}

	const command = commands[commandName];
	if (!command) {
		const guess = nearest(name, Object.keys(commands));
		process.stderr.write(guess
			? `curate: unknown command "${sanitize(name)}" (did you mean "${guess}"?); \`curate --help\` lists every command\n`
			: `curate: unknown command "${sanitize(name)}"\n${mainHelp()}`);
		return 2;
	}

	// `--help` anywhere (before `--`) only prints help: `dupes --apply keepers --help` must not trash a file (issue 13).
	if (wantsHelp(rest)) {
		process.stdout.write(commandHelp(commandName, command));
		return 0;
	}

	const flags = {...command.flags, ...globalFlags};
	const unknown = unknownFlags(rest, flags);
	if (unknown.length > 0) {
		process.stderr.write(`${sanitize(describeUnknownFlags(commandName, unknown))}\n(\`curate ${commandName} --help\` lists its flags)\n`);
		return 2;
	}

	// Loaded here, not at the top: the command list and `--help` do not parse flags.
	const {default: meow} = await import('meow');
	const cli = parseFlags(() => meow(commandHelp(commandName, command), {
		importMeta: import.meta,
		argv: rest,
		// Unknown flags were refused above, with a suggestion; help was handled above, wherever it stood.
		allowUnknownFlags: true,
		autoHelp: false,
		autoVersion: false,
		description: false,
		flags: flags as Record<string, any>,
	}));
	verbose = Boolean(cli.flags.verbose);
	if (cli.flags.breakLock) {
		const {breakLock, findLibrary} = await import('./library.js');
		const library = findLibrary({library: cli.flags.library as string | undefined, cwd: process.cwd()});
		process.stderr.write(`curate: ${sanitize(breakLock(library))}\n`);
	}

	const {run} = await command.load();
	return run({input: cli.input, flags: cli.flags, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd()});
}

let verbose = false;

/** Runs meow; a value outside a flag's `choices` is a usage error (exit 2) in meow's words, not a crash. */
function parseFlags<T>(parse: () => T): T {
	try {
		return parse();
	} catch (error) {
		if (error instanceof Error && /^Unknown values? for flag/m.test(error.message)) {
			throw new UserError(error.message.replaceAll('\n', '; '));
		}

		throw error;
	}
}

// `curate dupes | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') {
			process.exit(process.exitCode ?? 0);
		}

		throw error;
	});
}

try {
	process.exitCode = await main();
} catch (error) {
	if (error instanceof UserError) {
		process.stderr.write(`curate: ${sanitize(error.message)}\n`);
		process.exitCode = error.exitCode;
	} else {
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`curate: ${sanitize(message)}\n`);
		if (verbose && error instanceof Error && error.stack) {
			process.stderr.write(`${sanitize(error.stack)}\n`);
		} else {
			process.stderr.write('(run again with --verbose for details)\n');
		}

		process.exitCode = 1;
	}
} finally {
	// Only what the command loaded: exiftool and the HEIF decoders register their own shutdown when first imported.
	await runCleanups();
}
