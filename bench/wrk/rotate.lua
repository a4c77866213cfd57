-- Sends the requests listed in a file (method, path, cookie, body; one per
-- line, tab-separated), round and round, and counts replies whose status is
-- not the one expected. Prints its figures as one line of JSON.
-- wrk -s rotate.lua URL -- requests.tsv 302

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  prepared = {}
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("^(%S+)\t(%S+)\t(%S*)\t(.*)$")
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
    table.insert(prepared, wrk.format(method, path, headers, body ~= "" and body or nil))
  end
  expected = tonumber(args[2])
  sent = 0
  wrong = 0
end

function request()
  sent = sent + 1
  return prepared[(sent - 1) % #prepared + 1]
end

function response(status, headers, body)
  if status ~= expected then wrong = wrong + 1 end
end

function done(summary, latency, requests)
  local unexpected = 0
  for _, thread in ipairs(threads) do unexpected = unexpected + thread:get("wrong") end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "socket_errors": %d, "unexpected_status": %d, ' ..
    '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, summary.duration / 1e6, errors.connect + errors.read + errors.write + errors.timeout,
    unexpected, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
