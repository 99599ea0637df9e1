#!/usr/bin/env node
// Thin shim: the CLI is compiled from src/ into dist/ by `npm install` (prepare).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
