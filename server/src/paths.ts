import path from 'node:path';

/**
 * The server package's directory. This module sits directly in src/, and the compiled bundle directly
 * in dist/, so the same relative step finds it from both: modules deeper in src/ must not count `..`
 * from their own location, which the bundle flattens.
 */
export const serverDir = path.resolve(import.meta.dirname, '..');
export const repoRoot = path.resolve(serverDir, '..');
