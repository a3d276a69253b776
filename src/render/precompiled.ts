/**
 * Templates compiled ahead of time: the bundle (scripts/bundle.mjs) replaces this module with every
 * template under templates/ precompiled, so a run does not compile the README's template again
 * (~30 ms). Run from tsc's output it is empty and prose.ts compiles on first use.
 */
import type Handlebars from 'handlebars';

export const precompiled: Record<string, Parameters<typeof Handlebars.template>[0]> = {};
