#!/usr/bin/env -S node --max-semi-space-size=2 --heap-growing-percent=20
// A committed entry point, so npm links `keyservice` even before the first build.
// --max-semi-space-size caps V8's young generation at 3 × 2 MB instead of 3 × 16 MB: under load it
// otherwise grows to its maximum and stays there, about 30 MB of resident memory for no measured
// throughput (2 MB against 4 MB, interleaved wrk runs of execute, verify and GET on two instances
// of each: no slower, execute 24.8k-25.0k req/s against 23.2k-23.5k; up to 6 MB less RSS).
// --heap-growing-percent=20 sets V8's growth factor to 1.2: the next full collection comes once the
// old generation has grown by about a fifth (V8 lets it grow up to fourfold).
// Filling the cache with 100,000 keys otherwise left 50-60 MB of garbage resident until the next
// collection: 195-250 MB where it is now 138-160 MB (SQLite and PostgreSQL, npm run bench).
// (`npm run bench` starts the service with this line's flags; see the README's benchmark section.)
require("../dist/cli.js");
