// The resolve hook of module-log.mjs: runs on the loader thread, so it writes to the log itself.
import fs from 'node:fs';

let log;

export function initialize(data) {
	log = data.log;
}

export async function resolve(specifier, context, next) {
	const result = await next(specifier, context);
	fs.appendFileSync(log, `${result.url}\n`);
	return result;
}
