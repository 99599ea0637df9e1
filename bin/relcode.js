#!/usr/bin/env node
// Thin shim: the CLI is compiled from src/ and bundled into dist/bundle/ by `npm install` (prepare).
import { main } from '../dist/bundle/main.js';

process.exitCode = await main(process.argv);
