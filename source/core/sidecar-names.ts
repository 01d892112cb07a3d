/**
 * Which XMP sidecar belongs to a photo (issue 13). Pure: callers say which names exist on disk.
 *
 * A photo has at most one sidecar that Curate reads and writes. Its own name (`IMG_1.jpg.xmp`, as digiKam, darktable
 * and Curate write it) comes first, since it names this one file; then Lightroom's `IMG_1.xmp`. When both exist, the
 * own name is the sidecar: scan reads it, and `edit`, review merges and tag review write it; the Lightroom one is left
 * as it is. A sidecar is only created (named as the settings say) when none of these exists.
 */

/** The names a photo's sidecar may have, in the order they are preferred (library-relative or absolute alike). */
export function sidecarCandidates(photo: string): string[] {
	const slash = Math.max(photo.lastIndexOf('/'), photo.lastIndexOf('\\'));
	const dot = photo.lastIndexOf('.');
	const stem = dot > slash + 1 ? photo.slice(0, dot) : photo;
	return [...new Set([`${photo}.xmp`, `${photo}.XMP`, `${stem}.xmp`, `${stem}.XMP`])];
}

/** The sidecar of `photo` among the names that exist, or undefined when it has none. */
export function existingSidecar(photo: string, exists: (candidate: string) => boolean): string | undefined {
	return sidecarCandidates(photo).find(candidate => exists(candidate));
}
