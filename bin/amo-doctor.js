#!/usr/bin/env node
import { start } from '../dist/bundle/start.mjs';

process.exitCode = await start(() => import('../dist/bundle/amo-doctor/main.mjs'), process.argv.slice(2));
