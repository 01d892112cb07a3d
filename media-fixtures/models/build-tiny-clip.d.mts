/** Every file of the tiny CLIP model: relative path → bytes. */
export function tinyClipFiles(): Record<string, Buffer>;
/** Writes the tiny model into `dir` and returns the relative paths written, sorted. */
export function buildTinyClip(dir: string): string[];
