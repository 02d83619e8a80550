// The service suites of the "sqlite" jest project run against SQLite files.
process.env.KEYSERVICE_TEST_STORE = "sqlite";
