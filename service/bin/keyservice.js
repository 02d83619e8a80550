#!/usr/bin/env node
// A committed entry point, so npm links `keyservice` even before the first build.
require("../dist/cli.js");
