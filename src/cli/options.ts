import { Option } from 'commander';

export const formatOption = (choices: string[] = ['text', 'json']) =>
  new Option('-o, --output <format>', 'output format').choices(choices).default('text');
