#!/usr/bin/env node
// The installed `ocop` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/index.ts');
const { exitOnStartupError } = await import('../src/main.ts');
runCli(process.argv.slice(2)).catch(exitOnStartupError);
