import { Option } from 'commander';

export const formatOption = (choices: string[] = ['text', 'json']) => new Option('-o, --output <format>', 'output format').choices(choices).default('text');

/** Every command that works on a repo takes it the same way. */
export const dirOption = () => new Option('-C, --dir <repo>', 'the calisti-gitops repo').default('.');

/** Every command that writes commits its change as one commit unless told not to. */
export const noCommitOption = () => new Option('--no-commit', 'leave the change in the working tree, uncommitted (default: one commit)');
/** `--commit` chose that commit before it was the default; scripts and generated repos of older versions still pass it. */
export const commitAliasOption = () => new Option('--commit', 'one commit (the default; kept for older scripts)').hideHelp();
