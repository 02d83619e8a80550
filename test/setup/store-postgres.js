// The service suites of the "postgres" jest project run against PostgreSQL databases.
process.env.KEYSERVICE_TEST_STORE = "postgres";
