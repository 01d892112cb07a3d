import {useEffect, useState} from 'react';

/** Where a rendered picture comes from: the cache at once (`peek`), else a render that resolves later (`load`). */
export type RenderingSource<Request> = {
	peek(request: Request): string | undefined;
	load(request: Request): Promise<string>;
};

/**
 * A picture's rendering for `request`: the cached one at once, else undefined while it renders (the caller draws a
 * blank box of the same size, so the layout never jumps and a keypress never waits for a picture), or the error when
 * it cannot be made. `id` must change with every field of the request that changes the picture.
 */
export function useCachedRendering<Request>(source: RenderingSource<Request>, request: Request, id: string): {text?: string; error?: string} {
	const [state, setState] = useState<{id: string; text?: string; error?: string}>(() => ({id, text: source.peek(request)}));
	const current = state.id === id ? state : {id, text: source.peek(request)};
	useEffect(() => {
		if (current.text !== undefined) {
			return;
		}

		let live = true;
		source.load(request).then(
			text => {
				if (live) {
					setState({id, text});
				}
			},
			(error: unknown) => {
				if (live) {
					setState({id, error: error instanceof Error ? error.message : String(error)});
				}
			},
		);
		return () => {
			live = false;
		};
		// The id covers every field of the request that changes the picture.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [id]);
	return current;
}
