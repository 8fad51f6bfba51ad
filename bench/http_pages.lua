-- wrk script of bench/http_pages.py: the requests of one page, cycled through, with the session's
-- cookies; counts the answers per status and prints one JSON line at the end.
--
--   wrk -t2 -c8 -d10s -s bench/http_pages.lua http://127.0.0.1:8765 -- <requests file> <threads>
--
-- The requests file (written by bench/http_pages.py) holds one request per line:
--   METHOD <tab> PATH [<tab> BODY]
-- The lines are dealt out over wrk's threads (line i to thread i mod threads), so a booking POST
-- books each listed position once. Cookie and CSRF token come from the environment
-- (BENCH_COOKIE, BENCH_CSRF).

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("thread_index", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local lines = {}
local position = 0
status_counts = ""
local counts = {}

function init(args)
   local all = {}
   for line in io.lines(args[1]) do
      local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
      if method then
         table.insert(all, { method, path, body })
      end
   end
   local total = tonumber(args[2] or "1")
   for i, line in ipairs(all) do
      if (i - 1) % total == thread_index then
         table.insert(lines, line)
      end
   end
   if #lines == 0 then
      lines = all
   end
   local headers = {}
   local cookie = os.getenv("BENCH_COOKIE") or ""
   if cookie ~= "" then
      headers["Cookie"] = cookie
   end
   local csrf = os.getenv("BENCH_CSRF") or ""
   if csrf ~= "" then
      headers["X-CSRFToken"] = csrf
   end
   base_headers = headers
end

function request()
   position = position % #lines + 1
   local method, path, body = unpack(lines[position])
   local headers = {}
   for k, v in pairs(base_headers) do
      headers[k] = v
   end
   if method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      return wrk.format(method, path, headers, body)
   end
   return wrk.format(method, path, headers, nil)
end

function response(status, headers, body)
   counts[status] = (counts[status] or 0) + 1
   local parts = {}
   for code, n in pairs(counts) do
      table.insert(parts, '"' .. code .. '":' .. n)
   end
   status_counts = table.concat(parts, ",")
end

function done(summary, latency, requests)
   local merged = {}
   for _, t in ipairs(threads) do
      local text = t:get("status_counts") or ""
      for code, n in text:gmatch('"(%d+)":(%d+)') do
         merged[code] = (merged[code] or 0) + tonumber(n)
      end
   end
   local parts = {}
   for code, n in pairs(merged) do
      table.insert(parts, '"' .. code .. '":' .. n)
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,'
         .. '"p99_us":%d,"max_us":%d,"mean_us":%.1f,"errors":{"connect":%d,"read":%d,'
         .. '"write":%d,"status":%d,"timeout":%d},"statuses":{%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean, e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ",")
   ))
end
