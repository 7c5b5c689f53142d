-- Shared by cheap.lua and heavy.lua (loaded with dofile from the script's own folder).
--
-- Run with one connection per thread (wrk -t N -c N): each thread is then one client, which sends
-- "X-Forwarded-For: 127.0.X.Y" (its own address, as the Python mix binds one). hdh serve's uvicorn takes that
-- header only from the addresses in FORWARDED_ALLOW_IPS (127.0.0.1 and ::1 by default), which is where wrk
-- connects from: the server then tells the connections apart as it would clients behind a local reverse proxy.
-- Arguments (after --): the index of the first client (heavy clients come first, as in bench_load.py), then
-- the script's own ones. A response 429 or 503 makes the client wait its Retry-After before the next request.
-- done() prints one JSON line: {"wrk": KIND, "requests": ..., "statuses": {non-2xx status: count}, ...}.
--
-- Latency: wrk's own histogram (the `latency` given to done()) is corrected for coordinated omission: after the
-- run, wrk adds for each response slower than the mean interval between a connection's requests the samples
-- that requests sent at that steady rate would have seen (stats_correct in wrk's stats.c). Its percentiles are
-- then those of an open-loop client, not of the requests sent: here they are "latency_corrected_ms". The
-- "latency_ms" are those of the 2xx responses themselves, timed from request() to response() with a monotonic
-- clock (one connection per thread, no pipelining: the response follows its request), as the Python mix times.

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *now);
]])
local clock = ffi.new("bench_timespec")
local CLOCK_MONOTONIC = 1

local function now_ms()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
   return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local function urlencode(text)
   return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

statuses = {}
answered = 0
latencies = {}
local sent_at = nil
local pause_ms = 0
local forwarded_for = "127.0.0.1"

function start_client(first)
   local index = first + id
   forwarded_for = string.format("127.0.%d.%d", 1 + math.floor(index / 250), 2 + index % 250)
   math.randomseed(1000 + index)
end

function query_request(query)
   local headers = {["X-Forwarded-For"] = forwarded_for, ["Accept"] = "*/*"}
   sent_at = now_ms()
   return wrk.format("GET", "/sparql?query=" .. urlencode(query), headers)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      answered = answered + 1
      if sent_at then table.insert(latencies, now_ms() - sent_at) end
      return
   end
   statuses[status] = (statuses[status] or 0) + 1
   if status == 429 or status == 503 then
      pause_ms = 1000 * (tonumber(headers["Retry-After"] or headers["retry-after"] or "1") or 1)
   end
end

function delay()
   local ms = pause_ms
   pause_ms = 0
   return ms
end

local function percentile(ordered, p)
   if #ordered == 0 then return 0 end
   return ordered[math.min(#ordered, 1 + math.floor(p / 100 * (#ordered - 1) + 0.5))]
end

function report(kind, summary, latency)
   local by_status = {}
   local ok = 0
   local all = {}
   for _, thread in ipairs(threads) do
      ok = ok + (thread:get("answered") or 0)
      for _, ms in ipairs(thread:get("latencies") or {}) do table.insert(all, ms) end
      for status, count in pairs(thread:get("statuses") or {}) do
         by_status[status] = (by_status[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(by_status) do
      table.insert(parts, string.format('"%d": %d', status, count))
   end
   table.sort(all)
   local sum = 0
   for _, ms in ipairs(all) do sum = sum + ms end
   local e = summary.errors
   io.write(string.format(
      '{"wrk": "%s", "clients": %d, "seconds": %.3f, "requests": %d, "answered_2xx": %d, "statuses": {%s}, '
         .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
         .. '"latency_ms": {"p50": %.1f, "p95": %.1f, "p99": %.1f, "max": %.1f, "mean": %.1f}, '
         .. '"latency_corrected_ms": {"p50": %.1f, "p95": %.1f, "p99": %.1f, "max": %.1f, "mean": %.1f}}\n',
      kind, #threads, summary.duration / 1e6, summary.requests, ok, table.concat(parts, ", "),
      e.connect, e.read, e.write, e.timeout,
      percentile(all, 50), percentile(all, 95), percentile(all, 99), all[#all] or 0, sum / math.max(#all, 1),
      latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, latency.mean / 1000))
end
