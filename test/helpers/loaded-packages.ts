import fs from 'node:fs';
import path from 'node:path';
import {type CliResult, runCli} from './cli.js';
import {tempDir} from './temp.js';

/** The preload that logs every module a CLI child loads (see module-log.mjs). */
export const moduleLog = new URL('module-log.mjs', import.meta.url).href;

/** Runs `curate ARGS` with the module log preloaded and returns which of `packages` it loaded, besides its result. */
export async function loadedPackages(args: readonly string[], packages: readonly string[], cwd?: string): Promise<{result: CliResult; loaded: string[]}> {
	const log = path.join(tempDir(), 'modules.log');
	fs.writeFileSync(log, '');
	const result = await runCli(args, {cwd, env: {NODE_OPTIONS: `--import ${moduleLog}`, CURATE_MODULE_LOG: log}});
	const lines = fs.readFileSync(log, 'utf8').split('\n');
	const loaded = packages.filter(name => lines.some(line => line === name || line.startsWith(`${name}/`) || line.includes(`/node_modules/${name}/`)));
	return {result, loaded};
}
