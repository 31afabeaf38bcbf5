-- wrk script: the caseload query a coach's start page makes, with the token from $TOKEN and the
-- query from $QUERY (a JSON string).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = os.getenv("QUERY")

-- Percentiles wrk does not print with --latency, in microseconds.
function done(summary, latency, requests)
  io.write(string.format("p99.9 %d\n", latency:percentile(99.9)))
end
