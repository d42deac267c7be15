-- wrk script for the write benchmarks: every request creates a new, unique record.
--   BENCH_KIND=people  POST /api/v1/people with a unique login (one argon2id hash per request)
--   BENCH_KIND=posts   POST /api/v1/institutions/{id}/posts with a unique post name (no hash)
-- Environment: BENCH_TOKEN (bearer token), BENCH_INST (institution id), BENCH_TAG (a word that
-- makes names unique across runs against the same store). Uniqueness: a per-thread counter plus
-- the thread number given in setup(). done() prints how many answers had which status.

local kind = os.getenv("BENCH_KIND") or "posts"
local token = os.getenv("BENCH_TOKEN") or ""
local inst = os.getenv("BENCH_INST") or "0"
local tag = os.getenv("BENCH_TAG") or "r"

local threads = {}
local n_threads = 0

function setup(thread)
  n_threads = n_threads + 1
  thread:set("tid", n_threads)
  table.insert(threads, thread)
end

counter = 0
statuses = {}

local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}

function request()
  counter = counter + 1
  local body, path
  if kind == "people" then
    path = "/api/v1/people"
    body = string.format(
      '{"institution_id":%s,"login":"bench.%s.t%d.%d","name":"压测","team":"administrative",' ..
      '"password":"Bench-Password-1"}', inst, tag, tid, counter)
  else
    path = "/api/v1/institutions/" .. inst .. "/posts"
    body = string.format('{"name":"压测岗位-%s-%d-%d","duties":"压测用岗位"}', tag, tid, counter)
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do
      total[code] = (total[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(total) do
    table.insert(parts, string.format("%d=%d", code, n))
  end
  table.sort(parts)
  io.write("statuses: " .. table.concat(parts, " ") .. "\n")
end
