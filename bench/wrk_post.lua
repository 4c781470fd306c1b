-- wrk script: POST the JSON bodies of the file named after `--` (one per line) in turn,
-- and print one machine-readable line at the end.
local requests = {}
local count = 0
local next_one = 0

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  for line in io.lines(args[1]) do
    count = count + 1
    requests[count] = wrk.format("POST", wrk.path, headers, line)
  end
end

function request()
  next_one = next_one % count + 1
  return requests[next_one]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%.0f p99_us=%.0f\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
