import process from 'node:process';

/**
 * Honours NO_COLOR (https://no-color.org) for everything drawn through chalk, which Ink uses and which only reads
 * FORCE_COLOR. Imported first by cli.tsx, because chalk decides its colour level when it is first loaded.
 */
if (process.env.NO_COLOR && process.env.FORCE_COLOR === undefined) {
	process.env.FORCE_COLOR = '0';
}
