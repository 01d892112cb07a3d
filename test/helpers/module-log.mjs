// Preloaded into a CLI child (NODE_OPTIONS=--import …) by test/commands/cli-startup.test.ts: appends every module the
// process loads to the file CURATE_MODULE_LOG names, ES modules (by URL, from a resolve hook) and CommonJS (by
// request, from Module._load, which the hook does not see), so a test can tell which packages a command loaded.
import fs from 'node:fs';
import Module, {register} from 'node:module';

const log = process.env.CURATE_MODULE_LOG;
if (log) {
	register('./module-log-hook.mjs', import.meta.url, {data: {log}});
	const load = Module._load;
	Module._load = function (request, ...rest) {
		fs.appendFileSync(log, `${request}\n`);
		return load.call(this, request, ...rest);
	};
}
