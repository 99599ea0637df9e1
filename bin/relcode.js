#!/usr/bin/env node
// Thin shim: the CLI is compiled from src/ and bundled into dist/bundle/ by `npm install` (prepare).
import { loadCli } from './load-cli.js';

process.exitCode = await loadCli().main(process.argv);
