// End-to-end tests in Debian's Chromium against the real server: `traject serve --demo` on a
// fresh embedded store in a temporary directory, serving the built client (`npm run build`).
// The server binary is debug/traject in cargo's target directory (../target, or CARGO_TARGET_DIR;
// `cargo build -p traject-api --bin traject`), or the one TRAJECT_BIN names.
import { defineConfig } from '@playwright/test';

const poort = Number(process.env.TRAJECT_E2E_POORT ?? 8190);
const bin = process.env.TRAJECT_BIN ?? `${process.env.CARGO_TARGET_DIR ?? '../target'}/debug/traject`;
const trajecten = process.env.TRAJECT_E2E_TRAJECTEN ?? '400';

export default defineConfig({
  testDir: 'e2e',
  // The tests share one server and its store; each makes its own clients and trajectories. They
  // also share the demo users, so the per-user read quota (2,000 client records a minute, a
  // guard against bulk reading tested in the Rust end-to-end tests) is off: a fast run of the
  // whole suite reached it as one coach.
  // Every test browser comes from one address, so the per-address rate limit is off here.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${poort}`,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: process.env.TRAJECT_CHROMIUM ?? '/usr/bin/chromium' },
  },
  webServer: {
    command: `bash -c 'store=$(mktemp -d) && trap "rm -rf $store" EXIT && ${bin} serve --requests-per-address 0 --inzage-quota 0 --demo --demo-trajecten ${trajecten} --store $store --listen 127.0.0.1:${poort} --web-client dist'`,
    url: `http://127.0.0.1:${poort}/ready`,
    timeout: 180_000,
    reuseExistingServer: false,
    env: { RUST_LOG: process.env.RUST_LOG ?? 'warn' },
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
