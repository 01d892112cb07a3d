import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

/** A terminal size in cells. */
export type TerminalSize = {readonly columns: number; readonly rows: number};

/**
 * The terminal's size, following resizes (80x24 when the stream does not say), or `fixed` when given (tests). Shared
 * by the full-screen views so each lays itself out for the terminal it is in.
 */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
	const {stdout} = useStdout();
	const read = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		if (fixed) {
			return;
		}

		const onResize = () => {
			setSize(read());
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [stdout, fixed]);
	return fixed ?? size;
}
