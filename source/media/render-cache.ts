/**
 * Rendered terminal pictures kept by key (issue 5; face crops, issue 19): a bounded LRU of finished renderings, one
 * render in flight per key however often it is asked for, and a one-at-a-time background queue that renders ahead of
 * the screen. Review pictures and face crops differ only in their key and in how one rendering is made.
 */
export class RenderCache<Request> {
	private readonly cache = new Map<string, string>();
	private readonly pending = new Map<string, Promise<string>>();
	private queue: Request[] = [];
	private draining = false;

	constructor(
		private readonly keyOf: (request: Request) => string,
		private readonly render: (request: Request) => Promise<string>,
		/** Requests worth rendering ahead (one that can only fail is not). */
		private readonly renderable: (request: Request) => boolean = () => true,
		private readonly capacity = 400,
	) {}

	peek = (request: Request): string | undefined => {
		const id = this.keyOf(request);
		const hit = this.cache.get(id);
		if (hit !== undefined) {
			// Refresh its place in the LRU order.
			this.cache.delete(id);
			this.cache.set(id, hit);
		}

		return hit;
	};

	load = async (request: Request): Promise<string> => {
		const id = this.keyOf(request);
		const hit = this.peek(request);
		if (hit !== undefined) {
			return hit;
		}

		let running = this.pending.get(id);
		if (!running) {
			running = this.render(request)
				.then(picture => {
					this.cache.set(id, picture);
					if (this.cache.size > this.capacity) {
						this.cache.delete(this.cache.keys().next().value!);
					}

					return picture;
				})
				.finally(() => {
					this.pending.delete(id);
				});
			this.pending.set(id, running);
		}

		return running;
	};

	preload = (requests: readonly Request[]): void => {
		// The newest wish replaces the old queue: after a fast run of keys only what is near the screen matters.
		this.queue = requests.filter(request => this.renderable(request) && !this.cache.has(this.keyOf(request)));
		if (!this.draining) {
			void this.drain();
		}
	};

	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.queue.length > 0) {
				const next = this.queue.shift()!;
				// A broken picture only costs itself; the screen shows a placeholder when it asks for it.
				await this.load(next).catch(() => undefined);
				// Yield between pictures so a keypress is handled before the next render starts.
				await new Promise(resolve => setImmediate(resolve));
			}
		} finally {
			this.draining = false;
		}
	}
}
