-- The cheap look-up of bench_load.py: the columns of one table, a random one per request.
-- wrk -t 45 -c 45 -d 20s --timeout 120s -s bench/wrk/cheap.lua URL -- FIRST_CLIENT TABLES_FILE
-- (TABLES_FILE: one table IRI a line; see common.lua for the rest).
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "common.lua")

local CHEAP = "SELECT ?column ?name WHERE { <%s> csvw:column ?column . ?column csvw:name ?name } ORDER BY ?name"
local tables = {}

function init(args)
   start_client(tonumber(args[1]))
   for line in io.lines(args[2]) do
      if line ~= "" then table.insert(tables, line) end
   end
end

function request()
   return query_request(string.format(CHEAP, tables[math.random(#tables)]))
end

function done(summary, latency, requests)
   report("cheap", summary, latency)
end
