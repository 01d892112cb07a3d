import {spawn} from 'node:child_process';
import path from 'node:path';

/** The CLI entry, run from source through tsx so tests never see a stale build. */
export const cliEntry = path.resolve(import.meta.dirname, '../../source/cli.tsx');

/** tsx's loader by absolute URL: `--import tsx` would be resolved from the child's working directory. */
export const tsxLoader = import.meta.resolve('tsx');

/** Result of one CLI run. */
export type CliResult = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/** Runs `curate ARGS` in `cwd` as a real child process and collects its output. */
export async function runCli(args: readonly string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, ...args], {
			cwd: options.cwd ?? process.cwd(),
			env: {...process.env, NO_COLOR: '1', ...options.env},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', chunk => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', chunk => {
			stderr += chunk;
		});
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
		}, options.timeoutMs ?? 120_000);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr});
		});
	});
}

/** Runs the CLI with --json and parses stdout, failing loudly with stderr when it is not one JSON object. */
export async function runJson<T = any>(args: readonly string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<{result: CliResult; json: T}> {
	const result = await runCli(args, options);
	try {
		return {result, json: JSON.parse(result.stdout) as T};
	} catch {
		throw new Error(`curate ${args.join(' ')} did not print JSON (exit ${result.code}).\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
	}
}
