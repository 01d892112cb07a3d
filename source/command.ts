/** The shape of one `commands/<verb>.tsx` module: help text, flags, and a run function that returns an exit code. */

/** A meow flag definition (kept structural so command files do not import meow). */
export type FlagSpec = {
	readonly type: 'string' | 'boolean' | 'number';
	readonly shortFlag?: string;
	readonly default?: unknown;
	readonly isMultiple?: boolean;
	readonly isRequired?: boolean;
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

/** A subcommand module. */
export type CommandModule = {
	readonly description: string;
	readonly usage: string;
	readonly examples?: readonly string[];
	readonly flags: Readonly<Record<string, FlagSpec>>;
	readonly run: (context: CommandContext) => Promise<number>;
};

/** Flags every command that works on a library accepts. */
export const libraryFlag: Record<'library', FlagSpec> = {
	library: {type: 'string', description: 'Library root (default: the nearest folder at or above the current one holding .curate)'},
};

/** The `--json` flag of listing commands. */
export const jsonFlag: Record<'json', FlagSpec> = {
	json: {type: 'boolean', default: false, description: 'Print one JSON object on stdout instead of text'},
};
