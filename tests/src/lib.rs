//! End-to-end tests of traject live in `tests/e2e/`: each starts the real server on port 0 with a
//! fresh embedded store and talks to it over HTTP, as the web client does.
