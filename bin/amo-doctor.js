#!/usr/bin/env node
import { main } from '../dist/cli/amo-doctor.js';

process.exitCode = await main(process.argv.slice(2));
