/**
 * Runs a command module in this process, the way `source/cli.tsx` does after meow (its flags' defaults filled in),
 * with captured output: the real command and engine, without a child process and tsx start-up per call, which the
 * share tests would otherwise pay some twenty times on a loaded machine. Usage errors still throw `UserError`,
 * which the CLI tests check as printed.
 */
import {PassThrough} from 'node:stream';
import type {CommandModule} from '../../source/command.js';

/** What a run printed and returned. */
export type InProcessResult = {code: number; stdout: string; stderr: string; json: any};

function capture(): {stream: NodeJS.WriteStream; text: () => string} {
	const stream = new PassThrough();
	let text = '';
	stream.setEncoding('utf8').on('data', (chunk: string) => {
		text += chunk;
	});
	return {stream: Object.assign(stream, {isTTY: false, columns: 80}) as unknown as NodeJS.WriteStream, text: () => text};
}

/** Runs `module` with `input` and `flags` (camel-cased, over the spec's defaults) in `cwd`. */
export async function runInProcess(module: Pick<CommandModule, 'run' | 'flags'>, input: readonly string[], flags: Record<string, unknown>, cwd = process.cwd()): Promise<InProcessResult> {
	const defaults = Object.fromEntries(Object.entries(module.flags).flatMap(([name, spec]) => (spec.default === undefined ? [] : [[name, spec.default]])));
	const stdout = capture();
	const stderr = capture();
	const code = await module.run({input, flags: {...defaults, ...flags}, stdout: stdout.stream, stderr: stderr.stream, cwd});
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	let json: unknown;
	try {
		json = JSON.parse(stdout.text());
	} catch {}

	return {code, stdout: stdout.text(), stderr: stderr.text(), json};
}
