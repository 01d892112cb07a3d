/** Runs the real `curate serve` as a child process and waits for the address it prints. */
import {type ChildProcess, spawn} from 'node:child_process';
import {cliEntry, tsxLoader} from '../helpers/cli.js';

/** A running `curate serve`. */
export type ServeProcess = {
	/** The address it printed, `http://127.0.0.1:PORT`. */
	readonly url: string;
	readonly child: ChildProcess;
	/** Everything it printed so far. */
	readonly output: () => {stdout: string; stderr: string};
	/** Sends Ctrl-C (SIGINT) and waits for it to end. */
	readonly stop: () => Promise<{code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string}>;
};

/** Starts `curate serve ARGS` in `cwd`; rejects with its output if it ends or prints no address within `timeoutMs`. */
export async function startServe(args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<ServeProcess> {
	const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'serve', ...args], {cwd, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', chunk => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', chunk => {
		stderr += chunk;
	});
	const ended = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
		child.on('close', (code, signal) => {
			resolve({code, signal});
		});
	});
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`curate serve printed no address in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
		}, timeoutMs);
		const look = () => {
			const match = /serving shares on (http:\/\/[^\s;]+)/.exec(stdout);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]!);
			}
		};

		child.stdout.on('data', look);
		void ended.then(({code}) => {
			clearTimeout(timer);
			reject(new Error(`curate serve ended (exit ${code}) before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
		});
	});
	return {
		url,
		child,
		output: () => ({stdout, stderr}),
		async stop() {
			child.kill('SIGINT');
			const result = await ended;
			return {...result, stdout, stderr};
		},
	};
}
