/** The shape of one `commands/<verb>.tsx` module: help text, flags, and a run function that returns an exit code. */

/** A meow flag definition (kept structural so command files do not import meow). */
export type FlagSpec = {
	readonly type: 'string' | 'boolean' | 'number';
	readonly shortFlag?: string;
	readonly default?: unknown;
	readonly isMultiple?: boolean;
	readonly isRequired?: boolean;
	/** The values an enumerated flag takes: meow refuses any other with its own message, exit 2 (issue 14). */
	readonly choices?: readonly string[];
	/** One line for `--help`. */
	readonly description: string;
};

/** What a command receives: positional input and parsed flags (camel-cased), plus the streams to write to. */
export type CommandContext = {
	readonly input: readonly string[];
	readonly flags: Readonly<Record<string, unknown>>;
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WriteStream;
	readonly cwd: string;
};

/** What `--help` and the command list need of a command: its `commands/<verb>.spec.ts`, which loads no engine. */
export type CommandSpec = {
	readonly description: string;
	readonly usage: string;
	readonly examples?: readonly string[];
	readonly flags: Readonly<Record<string, FlagSpec>>;
};

/** A subcommand module: its spec (re-exported) and the run function. */
export type CommandModule = CommandSpec & {
	readonly run: (context: CommandContext) => Promise<number>;
};

/**
 * One entry of the command map: the spec, loaded with the CLI, and the command module, loaded only when the command
 * runs (issue 14: every command used to pay for every other command's engine at start-up).
 */
export type LazyCommand = CommandSpec & {
	readonly load: () => Promise<Pick<CommandModule, 'run'>>;
};

/** Flags every command that works on a library accepts. */
export const libraryFlag: Record<'library', FlagSpec> = {
	library: {type: 'string', description: 'Library root (default: the nearest folder at or above the current one holding .curate)'},
};

/** The `--json` flag of listing commands. */
export const jsonFlag: Record<'json', FlagSpec> = {
	json: {type: 'boolean', default: false, description: 'Print one JSON object on stdout instead of text'},
};
