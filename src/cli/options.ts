import { Option } from 'commander';

export const formatOption = (choices: string[] = ['text', 'json']) => new Option('-o, --output <format>', 'output format').choices(choices).default('text');

/** Every command that works on a repo takes it the same way. */
export const dirOption = () => new Option('-C, --dir <repo>', 'the calisti-gitops repo').default('.');
