#!/usr/bin/env node
import { start } from '../dist/cli/start.js';

process.exitCode = await start(() => import('../dist/cli/amo-export.js'), process.argv.slice(2));
