// Types of search.text.mjs (the text the search index is given).
export function pairsOf(run: string): string;
export function hasUnspaced(text: string): boolean;
export function splitUnspaced(text: string): string;
export function unspacedRuns(text: string): string[];
export function foldAccents(text: string): string;
export function splitUnspacedQuery(text: string): string;
export function isSingleUnspaced(text: string): boolean;
export function displayNameKey(name: string): string;
export function displayNameKey(name: string | null): string | null;
