#!/usr/bin/env node
// Must stay the first import: it settles the colour level before chalk (through Ink) loads.
import './no-color.js';
// Also first: React chooses its production or development build when it loads.
import './production.js';
import process from 'node:process';
import meow from 'meow';
import * as backup from '../commands/backup.js';
import * as dupes from '../commands/dupes.js';
import * as edit from '../commands/edit.js';
import * as importCommand from '../commands/import.js';
import * as journal from '../commands/journal.js';
import * as organize from '../commands/organize.js';
import * as purge from '../commands/purge.js';
import * as redo from '../commands/redo.js';
import * as restore from '../commands/restore.js';
import * as review from '../commands/review.js';
import * as models from '../commands/models.js';
import * as scan from '../commands/scan.js';
import * as search from '../commands/search.js';
import * as show from '../commands/show.js';
import * as tag from '../commands/tag.js';
import * as tagsExport from '../commands/tags-export.js';
import * as tagsImport from '../commands/tags-import.js';
import * as tagsList from '../commands/tags-list.js';
import * as tagsReview from '../commands/tags-review.js';
import * as tagsStats from '../commands/tags-stats.js';
import * as undo from '../commands/undo.js';
import * as watch from '../commands/watch.js';
import * as exportCommand from '../commands/export.js';
import * as status from '../commands/status.js';
import * as verify from '../commands/verify.js';
import {endExiftool} from './adapters/exif.js';
import type {CommandModule, FlagSpec} from './command.js';
import {sanitize} from './core/sanitize.js';
import {closeDecoders} from './media/decode.js';
import {describeUnknownFlags, kebab, nearest, unknownFlags, wantsHelp} from './argv.js';
import {breakLock, findLibrary, UserError} from './library.js';

/** Static command map: type-checked, unlike a runtime readdir of commands/. */
const commands: Record<string, CommandModule> = {
	scan,
	show,
	dupes,
	review,
	undo,
	redo,
	journal,
	purge,
	edit,
	import: importCommand,
	organize,
	watch,
	tag,
	search,
	models,
	'tags review': tagsReview,
	'tags list': tagsList,
	'tags stats': tagsStats,
	'tags export': tagsExport,
	'tags import': tagsImport,
	export: exportCommand,
	verify,
	status,
	backup,
	restore,
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

function commandHelp(name: string, command: CommandModule): string {
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

  Commands
${list}

  Run \`curate <command> --help\` for a command's options.
`;
}

async function main(): Promise<number> {
	const argv = process.argv.slice(2);
	const name = argv[0];
	if (!name || name === '--help' || name === '-h' || name === 'help') {
		process.stdout.write(mainHelp());
		return name ? 0 : 2;
	}

	if (name === '--version' || name === '-v') {
		meow('', {importMeta: import.meta, argv: ['--version']});
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

	const cli = meow(commandHelp(commandName, command), {
		importMeta: import.meta,
		argv: rest,
		// Unknown flags were refused above, with a suggestion; help was handled above, wherever it stood.
		allowUnknownFlags: true,
		autoHelp: false,
		autoVersion: false,
		description: false,
		flags: flags as Record<string, any>,
	});
	verbose = Boolean(cli.flags.verbose);
	if (cli.flags.breakLock) {
		const library = findLibrary({library: cli.flags.library as string | undefined, cwd: process.cwd()});
		process.stderr.write(`curate: ${sanitize(breakLock(library))}\n`);
	}

	return command.run({input: cli.input, flags: cli.flags, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd()});
}

let verbose = false;

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
	await endExiftool();
	await closeDecoders();
}
