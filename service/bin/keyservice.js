#!/usr/bin/env -S node --max-semi-space-size=4
// A committed entry point, so npm links `keyservice` even before the first build.
// The flag caps V8's young generation at 3 × 4 MB instead of 3 × 16 MB: under load it otherwise
// grows to its maximum and stays there, about 25 MB of resident memory for no measured throughput
// (`npm run bench` starts the service with this line's flags; see the README's benchmark section).
require("../dist/cli.js");
